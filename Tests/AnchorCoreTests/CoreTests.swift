import AnchorCore
import Testing

@Suite struct MoneyTests {
    @Test func englishPrices() {
        #expect(Money(amount: 29.90, currency: "USD")?.formatted(for: .en) == "$29.90")
        #expect(Money(amount: 59, currency: "usd")?.formatted(for: .en) == "$59")
        #expect(Money(amount: 0.05, currency: "USD")?.formatted(for: .en) == "$0.05")
        #expect(Money(amount: 59, currency: "CNY")?.formatted(for: .en) == "¥59")
        #expect(Money(amount: 10, currency: "CHF")?.formatted(for: .en) == "10 francs")
        #expect(Money(amount: 10, currency: "XYZ")?.formatted(for: .en) == "10 XYZ")
    }

    @Test func chinesePricesAreSpokenWithUnitsAndDisplayedWithSymbols() {
        let yuan = Money(amount: 59, currency: "CNY")!
        #expect(yuan.formatted(for: .zh) == "59元")
        #expect(yuan.formatted(for: .zh, style: .display) == "¥59")
        #expect(Money(amount: 18.5, currency: "CNY")?.formatted(for: .zh) == "18.5元")
        #expect(Money(amount: 18.55, currency: "CNY")?.formatted(for: .zh) == "18.55元")
        #expect(Money(amount: 29.9, currency: "USD")?.formatted(for: .zh) == "29.9美元")
    }

    @Test func amountsAreExactInMinorUnits() {
        // 0.1 + 0.2 style errors must not reach a price.
        #expect(Money(amount: 0.1 + 0.2, currency: "USD")?.minorUnits == 30)
        #expect(Money(amount: 19.99, currency: "USD")?.minorUnits == 1999)
        #expect(Money(amount: -1, currency: "USD") == nil)
        #expect(Money(amount: .nan, currency: "USD") == nil)
    }
}

@Suite struct SpellingTests {
    @Test func suggestsCloseNamesOnly() {
        #expect(Spelling.suggestion(for: "prise", among: ["price", "greet"]) == "price")
        #expect(Spelling.suggestion(for: "PRICE", among: ["price"]) == "price")
        #expect(Spelling.suggestion(for: "banana", among: ["price", "greet"]) == nil)
        #expect(Spelling.suggestion(for: "", among: ["price"]) == nil)
    }
}

@Suite struct DiagnosticFormatterTests {
    @Test func caretLinesUpUnderWideCharacters() {
        let d = Diagnostic.error(at: SourceLocation(file: "a.show.md", line: 3, column: 4), "bad", length: 2)
        let text = DiagnosticFormatter().format(d) { _ in "价格{x" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "a.show.md:3:4: error: bad")
        #expect(lines[1] == " 3 | 价格{x")
        // 价格 are two wide characters (4 columns) and '{' one: the caret sits under 'x'.
        // The underline is clamped to the text that is there.
        #expect(lines[2] == "   |      ^")
        let wide = Diagnostic.error(at: SourceLocation(file: "a.show.md", line: 3, column: 1), "bad", length: 2)
        #expect(DiagnosticFormatter().format(wide) { _ in "价格{x" }.hasSuffix("   | ^~~~"))
    }

    @Test func aLongLineIsQuotedAroundTheColumn() {
        let line = String(repeating: "a", count: 500) + "X" + String(repeating: "b", count: 500)
        let d = Diagnostic.error(at: SourceLocation(file: "f", line: 1, column: 501), "here")
        let lines = DiagnosticFormatter().format(d) { _ in line }.split(separator: "\n").map(String.init)
        #expect(lines[1].unicodeScalars.count < 140)
        #expect(lines[1].hasPrefix(" 1 | …a") && lines[1].hasSuffix("b…"))
        // The caret still sits under the X.
        let caret = lines[2].unicodeScalars.count - 1
        #expect(Array(lines[1].unicodeScalars)[caret] == "X")
    }

    @Test func hintAndSummary() {
        let d = Diagnostic.warning(at: SourceLocation(file: "f", line: 1, column: 1), "w", hint: "did you mean 'x'?")
        #expect(DiagnosticFormatter().format(d) { _ in nil } == "f:1:1: warning: w\nhint: did you mean 'x'?")
        #expect(DiagnosticFormatter.summary([d, d]) == "0 errors, 2 warnings")
    }

    @Test func controlCharactersDoNotShiftTheCaret() {
        let d = Diagnostic.error(at: SourceLocation(file: "f", line: 1, column: 3), "e")
        let text = DiagnosticFormatter().format(d) { _ in "\t\u{7}x" }
        #expect(text.hasSuffix("|   ^"))
    }
}

@Suite struct MediaTimeTests {
    @Test func framesFollowTheAudioClock() {
        let t = MediaTime(milliseconds: 1000)
        #expect(t.samples == 48_000)
        #expect(t.frameIndex(fps: 30) == 30)
        // After 24 hours, frame index is still exact: no drift from floating point.
        let day = MediaTime(samples: 48_000 * 86_400)
        #expect(day.frameIndex(fps: 30) == 30 * 86_400)
        #expect(MediaTime(samples: 47_999).frameIndex(fps: 30) == 29)
    }
}

@Suite struct UtteranceTests {
    @Test func remainderKeepsSpansAndCuesInPlace() {
        let u = Utterance(text: "Only three left, hurry now!", language: .en, intent: .urgency, reason: IntentReason(.tagged, ""),
                          stress: [TextSpan(start: 5, length: 5), TextSpan(start: 17, length: 5)],
                          cues: [InlineCue(offset: 4, cue: .gesture("point")), InlineCue(offset: 17, cue: .countdown(3))])
        let rest = u.remainder(from: 16)
        #expect(rest.text == "hurry now!")
        #expect(rest.stress == [TextSpan(start: 0, length: 5)])
        #expect(rest.cues == [InlineCue(offset: 0, cue: .countdown(3))])
        #expect(rest.substring(rest.stress[0]) == "hurry")
        // A cut inside a stressed word keeps the rest of it stressed.
        #expect(u.remainder(from: 7).stress.first == TextSpan(start: 0, length: 3))
        #expect(u.remainder(from: 999).text.isEmpty)
    }
}
