import AnchorCore
import AnchorScript
import AnchorStore
import AnchorTestSupport
import Foundation
import Testing

/// Parse → rundown of the shipped shows, compared with reviewed JSON in Golden/.
/// After an intended change: `UPDATE_GOLDEN=1 swift test --filter GoldenTests`, then read the diff.
@Suite struct GoldenTests {
    static let shows = ["demo.show.md", "demo-zh.show.md", "overnight.show.md"]

    @Test(arguments: shows)
    func rundownMatchesGolden(_ name: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestSupport.path("Scripts/\(name)")))
        let parsed = ScriptCompiler.parse(data, path: "Scripts/\(name)")
        let result = parsed.compile(catalog: demoCatalog)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let rundown = try #require(result.rundown)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(rundown), as: UTF8.self) + "\n"
        let golden = TestSupport.path("Tests/AnchorScriptTests/Golden/\(name).json")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try json.write(toFile: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: golden, encoding: .utf8)
        #expect(json == expected, "rundown of \(name) differs from Golden/\(name).json")
        // The golden file is a real rundown: it decodes back to the same value.
        #expect(try JSONDecoder().decode(Rundown.self, from: Data(expected.utf8)) == rundown)
    }
}
