import AnchorCore
import AnchorScript
import ArgumentParser
import Foundation

/// Parses a show, finds its catalog, compiles it, prints diagnostics; exits 1 on errors.
struct ShowLoader {
    let path: String
    let catalogOptions: CatalogOptions
    var seed: UInt64?
    /// Refuse shows that repeat per product when no catalog is found.
    var requireCatalog = true

    struct Loaded {
        var rundown: Rundown
        var catalog: Catalog?
        var background: String?
        var source: SourceText
    }

    func load() throws -> Loaded {
        let parsed = ScriptCompiler.parse(fileAt: path)
        var cache: [String: Catalog] = [:]
        let catalog: Catalog?
        do {
            catalog = try catalogOptions.resolve(for: parsed, cache: &cache)?.0
        } catch {
            Terminal.print(parsed.diagnostics + error.diagnostics) { parsed.source.line($0.line) }
            throw ExitCode(1)
        }
        if requireCatalog, catalog == nil, parsed.isReadable, parsed.syntax.segments.contains(where: \.eachProduct) {
            Terminal.error("error: \(path) repeats segments per product, but no catalog was found")
            Terminal.error("hint: pass --catalog FILE or --db FILE, set 'catalog:' in the show, or run 'anchor catalog import FILE'")
            throw ExitCode(1)
        }
        let compiled = parsed.compile(catalog: catalog, seed: seed)
        Terminal.print(compiled.diagnostics) { parsed.source.line($0.line) }
        guard let rundown = compiled.rundown else {
            Terminal.error(DiagnosticFormatter.summary(compiled.diagnostics))
            throw ExitCode(1)
        }
        return Loaded(rundown: rundown, catalog: catalog, background: parsed.header.background, source: parsed.source)
    }
}
