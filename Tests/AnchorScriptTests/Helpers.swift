import AnchorCore
import AnchorScript
import AnchorStore
import AnchorTestSupport
import Foundation
import Testing

/// The demo catalog shipped in Assets/.
let demoCatalog: Catalog = {
    let result = CatalogFile.read(path: TestSupport.path("Assets/demo-catalog.json"))
    precondition(!result.diagnostics.hasErrors, "Assets/demo-catalog.json must load: \(result.diagnostics)")
    return result.catalog
}()

func compile(_ text: String, path: String = "t.show.md", catalog: Catalog? = demoCatalog, seed: UInt64? = nil) -> CompiledShow {
    ScriptCompiler.parse(text, path: path).compile(catalog: catalog, seed: seed)
}

/// The only utterance of a one-line show body (under a heading).
func say(_ line: String, header: String = "", catalog: Catalog? = demoCatalog, seed: UInt64? = nil) -> Utterance? {
    let text = (header.isEmpty ? "" : "---\n\(header)\n---\n") + "# T\n" + line + "\n"
    return compile(text, catalog: catalog, seed: seed).rundown?.utterances.first
}

/// Checks that every diagnostic points inside the text it was given.
func expectLocationsInRange(_ diagnostics: [Diagnostic], text: String, path: String = "t.show.md", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    for d in diagnostics {
        #expect(d.location.file == path, sourceLocation: sourceLocation)
        #expect(d.location.line >= 1 && d.location.line <= max(1, lines.count), "line of \(d)", sourceLocation: sourceLocation)
        let width = d.location.line <= lines.count ? lines[d.location.line - 1].unicodeScalars.count : 0
        #expect(d.location.column >= 1 && d.location.column <= width + 1, "column of \(d) (line is \(width) wide)", sourceLocation: sourceLocation)
    }
}
