import AnchorCore
import AnchorScript
import Foundation
import Testing

/// A malformed show and the diagnostic it must produce.
struct BadShow: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let line: Int
    let column: Int
    let severity: Diagnostic.Severity
    let message: String
    var hint: String? = nil

    var testDescription: String { name }
}

@Suite struct DiagnosticTests {
    static let cases: [BadShow] = [
        BadShow(name: "unterminated brace", text: "# A\nHello {product.name", line: 2, column: 7, severity: .error, message: "unterminated '{'; expected '}'"),
        BadShow(name: "unmatched closing brace", text: "# A\nHello } there", line: 2, column: 7, severity: .error, message: "unmatched '}'"),
        BadShow(name: "unterminated stress", text: "# A\nHello *world", line: 2, column: 7, severity: .error, message: "unterminated stress"),
        BadShow(name: "unknown intent", text: "# A\n[prise] Hi", line: 2, column: 1, severity: .warning, message: "unknown intent '[prise]'", hint: "did you mean '[price]'?"),
        BadShow(name: "unterminated intent tag", text: "# A\n[price Hi", line: 2, column: 1, severity: .error, message: "unterminated intent tag; expected ']'"),
        BadShow(name: "intent tag alone", text: "# A\n[price]", line: 2, column: 1, severity: .warning, message: "intent tag with nothing to say"),
        BadShow(name: "unknown command", text: "# A\n@eech product", line: 2, column: 1, severity: .error, message: "unknown command '@eech'", hint: "did you mean '@each'?"),
        BadShow(name: "each without product", text: "# A\n@each item", line: 2, column: 7, severity: .error, message: "'@each' takes 'product'"),
        BadShow(name: "repeated each", text: "# A\n@each product\n@each product\nHi", line: 3, column: 1, severity: .error, message: "already given"),
        BadShow(name: "unknown show mode", text: "# A\n@show cart", line: 2, column: 7, severity: .error, message: "unknown '@show cart'", hint: "did you mean '@show card'?"),
        BadShow(name: "show without mode", text: "# A\n@show", line: 2, column: 1, severity: .error, message: "'@show' needs what to show"),
        BadShow(name: "link with arguments", text: "# A\n@each product\n@link now", line: 3, column: 7, severity: .error, message: "'@link' takes no arguments"),
        BadShow(name: "play without file", text: "# A\n@play", line: 2, column: 1, severity: .error, message: "'@play' needs the clip or picture"),
        BadShow(name: "play unknown option", text: "# A\n@play ad.mp4 fulll", line: 2, column: 14, severity: .error, message: "unknown '@play' option 'fulll'", hint: "did you mean 'full'?"),
        BadShow(name: "play bad volume", text: "# A\n@play ad.mp4 volume loud", line: 2, column: 21, severity: .error, message: "volume takes a percentage"),
        BadShow(name: "play volume too high", text: "# A\n@play ad.mp4 volume 900%", line: 2, column: 21, severity: .error, message: "volume takes a percentage"),
        BadShow(name: "play bad time", text: "# A\n@play ad.mp4 from soon", line: 2, column: 19, severity: .error, message: "'from' takes a time"),
        BadShow(name: "play for without value", text: "# A\n@play ad.mp4 for", line: 2, column: 14, severity: .error, message: "'for' needs a value"),
        BadShow(name: "play two placements", text: "# A\n@play ad.mp4 full card", line: 2, column: 19, severity: .error, message: "already given"),
        BadShow(name: "music without file", text: "# A\n@music", line: 2, column: 1, severity: .error, message: "'@music' takes one file, or 'off'"),
        BadShow(name: "music with two files", text: "# A\n@music a.ogg b.ogg", line: 2, column: 8, severity: .error, message: "'@music' takes one file"),
        BadShow(name: "play unterminated name", text: "# A\n@play \"my ad.mp4 full", line: 2, column: 7, severity: .error, message: "unterminated file name"),
        BadShow(name: "draw without keyword", text: "# A\n@draw", line: 2, column: 1, severity: .error, message: "'@draw' needs the keyword"),
        BadShow(name: "draw without time", text: "# A\n@draw \"lucky\"", line: 2, column: 1, severity: .error, message: "'@draw' needs how long it runs"),
        BadShow(name: "draw too short", text: "# A\n@draw \"lucky\" 5s", line: 2, column: 15, severity: .error, message: "a draw runs 10s to 10m"),
        BadShow(name: "draw beyond Int", text: "# A\n@draw lucky 1e30s", line: 2, column: 13, severity: .error, message: "a draw runs 10s to 10m"),
        BadShow(name: "draw unterminated keyword", text: "# A\n@draw \"lucky 60s", line: 2, column: 7, severity: .error, message: "unterminated keyword"),
        BadShow(name: "draw keyword too long", text: "# A\n@draw \"abcdefghijklmnopqrstuvwxyz\" 60s", line: 2, column: 7, severity: .error, message: "1 to 20 characters"),
        BadShow(name: "unknown directive", text: "# A\nHi {pase 400ms}", line: 2, column: 4, severity: .error, message: "unknown directive 'pase'", hint: "did you mean '{pause …}'?"),
        BadShow(name: "pause without unit", text: "# A\nHi {pause 400}", line: 2, column: 4, severity: .error, message: "needs a duration like 400ms"),
        BadShow(name: "pause too long", text: "# A\nHi {pause 20s}", line: 2, column: 4, severity: .error, message: "out of range"),
        // These trapped converting to Int (issue 17: a crash loop from one show value).
        BadShow(name: "pause beyond Int in ms", text: "# A\nHi {pause 1e19ms}", line: 2, column: 4, severity: .error, message: "pause of 1e19ms is out of range"),
        BadShow(name: "pause beyond Int in s", text: "# A\nHi {pause -1e300s}", line: 2, column: 4, severity: .error, message: "out of range"),
        BadShow(name: "pause of infinity", text: "# A\nHi {pause infms}", line: 2, column: 4, severity: .error, message: "needs a duration like 400ms"),
        BadShow(name: "countdown out of range", text: "# A\nHi {countdown 99}", line: 2, column: 4, severity: .error, message: "from 1 to 10"),
        BadShow(name: "unknown gesture", text: "# A\nHi {gesture dab}", line: 2, column: 4, severity: .warning, message: "unknown gesture 'dab'"),
        BadShow(name: "empty braces", text: "# A\nHi {} there", line: 2, column: 4, severity: .error, message: "empty '{}'"),
        BadShow(name: "not a variable", text: "# A\nHi {12abc!}", line: 2, column: 4, severity: .error, message: "is not a variable"),
        BadShow(name: "unknown product field", text: "---\nproducts: all\n---\n# A\n@each product\nHi {product.nme}", line: 6, column: 4, severity: .error, message: "unknown product field 'nme'", hint: "did you mean '{product.name}'?"),
        BadShow(name: "product outside each", text: "# A\nHi {product.name}", line: 2, column: 4, severity: .error, message: "needs a product"),
        BadShow(name: "unknown variable root", text: "# A\nHi {prodcut.name}", line: 2, column: 4, severity: .error, message: "unknown variable '{prodcut.name}'", hint: "did you mean '{product.name}'?"),
        BadShow(name: "field missing for a product", text: "---\nproducts: [NIGHT-101]\n---\n# A\n@each product\nIt is {product.specs.colour}.", line: 6, column: 7, severity: .warning, message: "unknown variable '{product.specs.colour}'"),
        BadShow(name: "front matter never closed", text: "---\ntitle: x\n# A\nHi", line: 1, column: 1, severity: .error, message: "front matter is never closed"),
        BadShow(name: "front matter bad YAML", text: "---\ntitle: [unclosed\n---\n# A\nHi", line: 3, column: 1, severity: .error, message: "front matter is not valid YAML"),
        BadShow(name: "front matter repeated key", text: "---\ntitle: a\ntitle: b\n---\n# A\nHi", line: 2, column: 1, severity: .error, message: "repeats the key 'title'"),
        BadShow(name: "unknown front-matter key", text: "---\ntitel: x\n---\n# A\nHi", line: 2, column: 1, severity: .warning, message: "unknown front-matter key 'titel'", hint: "did you mean 'title'?"),
        BadShow(name: "unknown language", text: "---\nlanguage: fr\n---\n# A\nHi", line: 2, column: 11, severity: .error, message: "unknown language 'fr'"),
        BadShow(name: "loop not a bool", text: "---\nloop: maybe\n---\n# A\nHi", line: 2, column: 7, severity: .error, message: "'loop' must be true or false"),
        BadShow(name: "unknown style", text: "---\nstyle: loud\n---\n# A\nHi", line: 2, column: 8, severity: .error, message: "unknown style 'loud'"),
        BadShow(name: "SKU not in catalog", text: "---\nproducts: [NIGHT-101, NIGHT-10]\n---\n# A\n@each product\nHi", line: 2, column: 23, severity: .warning, message: "SKU 'NIGHT-10' is not in the catalog", hint: "did you mean 'NIGHT-101'?"),
        BadShow(name: "tag with no products", text: "---\nproducts: tag:nothing\n---\n# A\n@each product\nHi", line: 2, column: 11, severity: .warning, message: "no product in the catalog has the tag 'nothing'"),
        BadShow(name: "empty segment", text: "# A\n# B\nHi", line: 1, column: 1, severity: .warning, message: "empty segment 'A'"),
        BadShow(name: "unreachable variant", text: "# A\nHi {there|you|there}", line: 2, column: 4, severity: .warning, message: "variant 3 'there' repeats variant 1"),
        BadShow(name: "too many variants", text: "# A\nHi {" + (1...65).map { "v\($0)" }.joined(separator: "|") + "}", line: 2, column: 4, severity: .error, message: "65 variants in one '{…}'; at most 64"),
        BadShow(name: "line too long", text: "# A\n" + String(repeating: "la ", count: 700), line: 2, column: 2001, severity: .error, message: "line is 2100 characters long; a line may be at most 2000"),
        BadShow(name: "comment never closed", text: "# A\n<!-- note\nHi", line: 2, column: 1, severity: .error, message: "comment is never closed"),
        BadShow(name: "braces nested too deep", text: "# A\nHi " + String(repeating: "{a|", count: 12) + String(repeating: "}", count: 12), line: 2, column: 28, severity: .error, message: "nested more than 8 deep"),
        BadShow(name: "each with no products listed", text: "# A\n@each product\nHi", line: 1, column: 1, severity: .warning, message: "repeats for no product"),
        BadShow(name: "link outside a product segment", text: "# A\n@link\nHi", line: 2, column: 1, severity: .warning, message: "'@link' outside an '@each product' segment"),
    ]

    @Test(arguments: cases)
    func reportsWhereAndWhat(_ bad: BadShow) throws {
        let result = compile(bad.text)
        let match = result.diagnostics.first { $0.message.contains(bad.message) }
        let d = try #require(match, "expected “\(bad.message)” among \(result.diagnostics.map(\.description))")
        #expect(d.location.line == bad.line)
        #expect(d.location.column == bad.column)
        #expect(d.severity == bad.severity)
        if let hint = bad.hint { #expect(d.hint == hint) }
        expectLocationsInRange(result.diagnostics, text: bad.text)
        // A show with errors never yields a rundown; one with only warnings does.
        #expect((result.rundown == nil) == result.diagnostics.hasErrors)
    }

    @Test func playTakesItsOptionsInAnyOrderAndResolvesTheFileBesideTheShow() throws {
        let text = "# A\n@play ads/spot.mp4\n@play \"my clip.mov\" window volume 50% from 2s for 1m30s\n@play photo.png card wait mute\n@play /abs/x.webm full talk volume -6dB\n"
        let rundown = try #require(ScriptCompiler.parse(text, path: "shows/night.show.md").compile(catalog: nil).rundown)
        let plays = rundown.segments[0].events.compactMap { e -> (PlayCue, AnchorCore.SourceLocation)? in
            if case .cue(.play(let p), let at) = e { return (p, at) } else { return nil }
        }
        #expect(plays.count == 4)
        #expect(plays[0].0 == PlayCue(file: "shows/ads/spot.mp4", placement: .full, waits: true, gain: 0, from: 0, length: nil))
        #expect(plays[0].1 == AnchorCore.SourceLocation(file: "shows/night.show.md", line: 2, column: 1))
        #expect(plays[1].0.file == "shows/my clip.mov" && plays[1].0.placement == .window && !plays[1].0.waits)
        #expect(abs(plays[1].0.gain! - 20 * log10(0.5)) < 1e-9 && plays[1].0.from == 2000 && plays[1].0.length == 90_000)
        #expect(plays[2].0.placement == .card && plays[2].0.waits && plays[2].0.gain == nil)
        #expect(plays[3].0.file == "/abs/x.webm" && !plays[3].0.waits && plays[3].0.gain == -6)
        let header = try #require(ScriptCompiler.parse("---\nmusic: beds/night.ogg\n---\n# A\nHi\n", path: "shows/n.show.md").compile(catalog: nil).rundown)
        #expect(header.music == "shows/beds/night.ogg")
        let changes = try #require(ScriptCompiler.parse("# A\n@music calm.ogg\nHi\n@music off\n", path: "shows/n.show.md").compile(catalog: nil).rundown)
        #expect(changes.segments[0].events.compactMap { e -> String? in
            if case .cue(.music(let file), _) = e { return file ?? "off" } else { return nil }
        } == ["shows/calm.ogg", "off"])
    }

    @Test func severalErrorsAreReportedInOneRun() {
        let text = "# A\nHi {pase 1s}\n@show cart\nBye *there\n[price] {product.name}"
        let result = compile(text)
        #expect(result.diagnostics.errorCount == 4)
        #expect(result.diagnostics.map(\.location.line) == [2, 3, 4, 5])
    }

    @Test func binaryGarbageIsOneErrorAtItsPlace() {
        var bytes = Array("# A\nHi ".utf8)
        bytes += [0x00, 0xFF, 0xFE, 0x01]
        let result = ScriptCompiler.parse(Data(bytes), path: "bin.show.md").compile(catalog: nil)
        #expect(result.rundown == nil)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics[0].location == SourceLocation(file: "bin.show.md", line: 2, column: 4))
        #expect(result.diagnostics[0].message.contains("binary"))
    }

    @Test func invalidUTF8IsLocated() {
        let bytes = Array("# A\nNi hao ".utf8) + [0xC3, 0x28] + Array(" ok".utf8)
        let result = ScriptCompiler.parse(Data(bytes), path: "gbk.show.md").compile(catalog: nil)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics[0].location.line == 2)
        #expect(result.diagnostics[0].location.column == 8)
        #expect(result.diagnostics[0].message.contains("UTF-8"))
    }

    @Test func aTenMegabyteFileIsRefusedWithALocation() {
        let line = "[price] Only *$5* tonight, {a|b}! {pause 10ms}\n"
        let text = "# Big\n" + String(repeating: line, count: 10 * 1024 * 1024 / line.utf8.count + 1)
        let result = ScriptCompiler.parse(text, path: "big.show.md").compile(catalog: nil)
        #expect(result.rundown == nil)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics[0].location == SourceLocation(file: "big.show.md", line: 1, column: 1))
        #expect(result.diagnostics[0].message.contains("at most 1 MB"))
    }

    /// Issue 17: 100 000 variants in a 200 KB show compiled for seconds, and `check` printed
    /// 257 MB quoting the line once per repeated variant.
    @Test func pathologicalVariantsStaySmallAndQuick() {
        let huge = "# A\nHi {" + Array(repeating: "a", count: 100_000).joined(separator: "|") + "}\n"
        let one = compile(huge)
        #expect(one.diagnostics.errorCount == 1 && one.diagnostics.count <= 2, "\(one.diagnostics)")
        #expect(one.diagnostics.contains { $0.message.contains("at most 2000") })

        let line = "Hi {" + Array(repeating: "same", count: 64).joined(separator: "|") + "} there\n"
        let text = "# A\n" + String(repeating: line, count: 1_000)
        let many = compile(text)
        // One warning per brace (not 63), and at most 200 kept, with a count of the rest.
        #expect(many.diagnostics.count == 201)
        #expect(many.diagnostics[0].message.contains("(and 62 more repeated variants)"))
        #expect(many.diagnostics.last?.message == "800 more warnings not shown")
        let source = SourceText(path: "t.show.md", string: text)
        let printed = many.diagnostics.map { d in DiagnosticFormatter().format(d) { source.line($0.line) } }.joined(separator: "\n")
        #expect(printed.utf8.count < 201 * 700, "printed \(printed.utf8.count) bytes")
    }

    @Test func deeplyRepeatedEachIsCappedNotFlooded() {
        let text = "---\nproducts: all\n---\n# A\n" + String(repeating: "@each product\n", count: 20_000) + "Hi {product.name}\n"
        let result = compile(text)
        #expect(result.rundown == nil)
        #expect(result.diagnostics.errorCount <= 51)
        #expect(result.diagnostics.contains { $0.message.contains("too many errors") })
        expectLocationsInRange(result.diagnostics, text: text)
    }

    @Test func expansionHasALimit() {
        let products = (1...60).map { Product(sku: "P\($0)", name: "Thing \($0)", price: Money(minorUnits: 100, currency: "USD")) }
        let body = String(repeating: "Say {product.name}.\n", count: 2_000)
        let result = compile("---\nproducts: all\n---\n# {product.name}\n@each product\n" + body, catalog: Catalog(products: products))
        #expect(result.rundown == nil)
        #expect(result.diagnostics.contains { $0.message.contains("more than 100000 lines") })
    }

    @Test func unreadableFileIsADiagnostic() {
        let result = ScriptCompiler.parse(fileAt: "/nonexistent/x.show.md").compile(catalog: nil)
        #expect(result.diagnostics.map(\.message) == ["no such file"])
        #expect(result.diagnostics[0].location.line == 1)
    }
}
