import AnchorCore
@testable import AnchorScript
import AnchorTestSupport
import Foundation
import Testing

/// Random edits of valid shows: the compiler must never crash or hang, and must give either a
/// rundown whose spans lie inside their text, or diagnostics whose locations lie inside the file.
@Suite struct MutationPropertyTests {
    static let cases = 4_000
    /// Characters that matter to the grammar, plus text from both languages, emoji and controls.
    static let alphabet: [String] = ["{", "}", "[", "]", "*", "|", "@", "#", "\\", "-", ":", "\n", "\t", "\r", " ", "---",
                                     "<!--", "-->", "{pause 1s}", "{product.", "价", "，", "a", "9", "😀", "\u{0}", "\u{FEFF}", "é"]

    @Test func randomEditsNeverBreakTheCompiler() throws {
        let seeds = try ["demo.show.md", "demo-zh.show.md", "overnight.show.md"].map {
            try String(contentsOfFile: TestSupport.path("Scripts/\($0)"), encoding: .utf8)
                .replacingOccurrences(of: "catalog: ../Assets/demo-catalog.json\n", with: "")
        }
        var random = SeededRandom(seed: 0xA4C0, text: "mutations")
        var rundowns = 0, refused = 0
        for n in 0..<Self.cases {
            var scalars = Array(seeds[n % seeds.count].unicodeScalars)
            for _ in 0..<(1 + Int(random.next() % 4)) { Self.mutate(&scalars, &random) }
            let text = String(String.UnicodeScalarView(scalars))
            let result = ScriptCompiler.parse(text, path: "m.show.md").compile(catalog: n % 5 == 0 ? nil : demoCatalog, seed: UInt64(n))
            if let rundown = result.rundown {
                rundowns += 1
                #expect(!result.diagnostics.hasErrors)
                for u in rundown.utterances {
                    let count = u.text.unicodeScalars.count
                    for span in u.stress + u.particles { #expect(span.start >= 0 && span.length > 0 && span.end <= count, "case \(n)") }
                    for cue in u.cues { #expect(cue.offset >= 0 && cue.offset <= count, "case \(n)") }
                    #expect(!u.text.isEmpty && u.text == u.text.trimmingCharacters(in: .whitespaces), "case \(n)")
                }
            } else {
                refused += 1
                #expect(result.diagnostics.hasErrors, "case \(n): no rundown and no error")
            }
            if text.unicodeScalars.contains("\u{0}") {
                #expect(result.diagnostics.first?.message.contains("binary") == true, "case \(n)")
            } else {
                expectLocationsInRange(result.diagnostics, text: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, path: "m.show.md")
            }
        }
        // Both outcomes must actually occur, or the mutations test nothing.
        #expect(rundowns > Self.cases / 10 && refused > Self.cases / 10, "rundowns \(rundowns), refused \(refused)")
    }

    static func mutate(_ s: inout [Unicode.Scalar], _ random: inout some RandomNumberGenerator) {
        guard !s.isEmpty else { s = Array("# A\n".unicodeScalars); return }
        let at = Int(random.next() % UInt64(s.count))
        switch random.next() % 6 {
        case 0: s.remove(at: at)
        case 1, 2: s.insert(contentsOf: alphabet[Int(random.next() % UInt64(alphabet.count))].unicodeScalars, at: at)
        case 3:
            let end = min(s.count, at + Int(random.next() % 40))
            s.removeSubrange(at..<end)
        case 4:
            // Duplicate a slice (repeats lines, commands, braces).
            let end = min(s.count, at + Int(random.next() % 60))
            s.insert(contentsOf: Array(s[at..<end]), at: at)
        default: s = Array(s[..<at])
        }
    }
}
