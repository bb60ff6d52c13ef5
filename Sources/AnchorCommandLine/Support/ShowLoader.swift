import AnchorAvatar
import AnchorCore
import AnchorEngine
import AnchorScript
import ArgumentParser
import Foundation

/// Parses a show, finds its catalog, compiles it, prints diagnostics; exits 1 on errors.
public struct ShowLoader: Sendable {
    public let path: String
    public let catalogOptions: CatalogOptions
    public var seed: UInt64?
    /// Refuse shows that repeat per product when no catalog is found.
    public var requireCatalog = true

    public init(path: String, catalogOptions: CatalogOptions, seed: UInt64? = nil, requireCatalog: Bool = true) {
        (self.path, self.catalogOptions, self.seed, self.requireCatalog) = (path, catalogOptions, seed, requireCatalog)
    }

    public struct Loaded: Sendable {
        public var rundown: Rundown
        public var catalog: Catalog?
        public var background: String?
        public var source: SourceText
    }

    public func load() throws -> Loaded {
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
        let compiled = parsed.compile(catalog: catalog, seed: seed, media: ShowMedia.resolve)
        Terminal.print(compiled.diagnostics) { parsed.source.line($0.line) }
        guard let rundown = compiled.rundown else {
            Terminal.error(DiagnosticFormatter.summary(compiled.diagnostics))
            throw ExitCode(1)
        }
        return Loaded(rundown: rundown, catalog: catalog, background: parsed.header.background, source: parsed.source)
    }
}

extension ShowLoader.Loaded {
    /// The avatar folder and background to draw with: the command line's choice, else the
    /// show's, else the defaults. Exits with a clear error when either cannot be used.
    public func stage(showPath: String, avatar: String?, background: String?) throws -> (avatarFolder: String, background: Background) {
        let name = avatar ?? rundown.avatar
        guard let folder = Assets.avatarFolder(name, nearShow: showPath) else {
            Terminal.error("error: no avatar '\(name)' (looked for Models/\(name)/rig.json in ANCHOR_HOME, here, and beside the show)")
            throw ExitCode(1)
        }
        let text = background ?? self.background ?? "studio"
        guard let bg = Background(parsing: text) else {
            throw ValidationError("unknown background '\(text)'; use studio, green, transparent, #RRGGBB or an image path")
        }
        return (folder, bg)
    }
}
