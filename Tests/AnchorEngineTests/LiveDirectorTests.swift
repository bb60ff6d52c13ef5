import AnchorAvatar
import AnchorChat
import AnchorCore
@testable import AnchorEngine
import AnchorScript
import AnchorTestSupport
import Foundation
import Testing

@Suite struct LiveDirectorTests {
    static let rate = 48_000
    static let step = 1_600 // one frame at 30 fps

    static let show = """
    ---
    title: Director test
    ---
    # Opening
    Good evening everyone, and welcome to a quiet night of very good deals on the things you love most.
    Tonight we go slowly through each product, one by one, with all the details you want to hear.
    # Second
    This is the second segment, and it has a single rather long line for the avatar to speak.
    """

    func director(_ text: String = show) throws -> LiveDirector {
        let compiled = ScriptCompiler.parse(text, path: "t.show.md").compile(catalog: nil, seed: 7)
        let rundown = try #require(compiled.rundown)
        let rig = try Rig.load(from: TestSupport.path("Models/juno/rig.json"))
        return LiveDirector(program: Program(id: "t", rundown: rundown, catalog: nil), rig: rig)
    }

    func answer(_ text: String, user: String = "mia") -> Decision {
        var d = Decision(reply: text, intent: .answer, source: .rule, detail: "test", productSKU: nil, language: "en", user: user,
                         question: "q?", seconds: 0, topic: "test", displayName: user)
        d.spokenName = user
        return d
    }

    /// Runs the director like the live loop does, one frame's audio at a time, collecting markers.
    func run(_ d: LiveDirector, seconds: Double, onFrame: (Int) -> Void = { _ in }) async throws -> [LiveDirector.Marker] {
        var markers: [LiveDirector.Marker] = []
        for _ in 0..<Int(seconds * 30) {
            try await d.plan()
            onFrame(d.audioPosition)
            _ = d.sampler.state(at: d.audioPosition)
            _ = d.read(Self.step)
            markers += d.passed(upTo: d.audioPosition)
        }
        return markers
    }

    func lines(_ ms: [LiveDirector.Marker]) -> [(Int, String)] {
        ms.compactMap { if case .line(let u) = $0.kind { return ($0.at, u.text) } else { return nil } }
    }

    @Test func playsTheShowInOrderAndEnds() async throws {
        let d = try director()
        let ms = try await run(d, seconds: 40)
        let said = lines(ms).map(\.1)
        #expect(said.count == 3)
        #expect(said.first?.hasPrefix("Good evening") == true)
        let segments = ms.compactMap { if case .segment(let t, _) = $0.kind { return t } else { return nil } }
        #expect(segments == ["Opening", "Second"])
        #expect(d.isFinished)
    }

    @Test func anAnswerCutsInAtAWordBoundaryAndTheLineResumes() async throws {
        let d = try director()
        var offeredAt: Int?
        let ms = try await run(d, seconds: 40) { pos in
            if offeredAt == nil, pos >= Self.rate * 2 {
                offeredAt = pos
                d.offer(answer("Thanks for asking, the answer is yes."), arrivedAt: 0)
            }
        }
        let offered = try #require(offeredAt)
        let answerAt = try #require(ms.first { if case .answer = $0.kind { return true } else { return false } }?.at)
        // Spoken within a second of arriving (the next word boundary, plus a short breath).
        #expect(answerAt >= offered)
        #expect(answerAt - offered < Self.rate)
        // The first line was cut: its rest is said after the answer, and nothing is said twice.
        let said = lines(ms)
        let first = "Good evening everyone, and welcome to a quiet night of very good deals on the things you love most."
        #expect(said[0].1 == first)
        let rest = try #require(said.first { $0.0 > answerAt })
        #expect(rest.1 != first && first.hasSuffix(rest.1) && !rest.1.isEmpty, "resumed with '\(rest.1)'")
        #expect(said.count == 4)
        #expect(d.isFinished)
    }

    @Test func answersQueueWhileOneIsSpokenAndFloodsMerge() async throws {
        let d = try director()
        var offered = false
        let ms = try await run(d, seconds: 50) { pos in
            guard !offered, pos >= Self.rate else { return }
            offered = true
            d.offer(answer("First answer here."), arrivedAt: 0)
            var price = answer("It is nineteen ninety-nine.", user: "leo")
            price.source = .facts
            price.topic = "price"
            d.offer(price, arrivedAt: 0)
            price.user = "ann"
            price.displayName = "ann"
            price.spokenName = "ann"
            d.offer(price, arrivedAt: 0)
        }
        let answers = ms.compactMap { if case .answer(let a, _) = $0.kind { return a.reply } else { return nil } }
        #expect(answers.count == 2)
        #expect(answers.last?.hasPrefix("leo and ann asked:") == true)
        #expect(d.answers.merged == 1)
        #expect(lines(ms).count == 4) // three lines, one of them resumed after the cut
    }

    @Test func skipGoesToTheNextSegmentAtAWordBoundary() async throws {
        let d = try director()
        var skippedAt: Int?
        let ms = try await run(d, seconds: 30) { pos in
            if skippedAt == nil, pos >= Self.rate * 2 { skippedAt = pos; d.skipSegment() }
        }
        let second = try #require(ms.first { if case .segment("Second", _) = $0.kind { return true } else { return false } })
        #expect(second.at - skippedAt! < Self.rate)
        #expect(!lines(ms).contains { $0.1.hasPrefix("Tonight") })
    }

    @Test func aShowCanTakeOverAtASegmentStart() async throws {
        let d = try director()
        let other = ScriptCompiler.parse("---\ntitle: Other\n---\n# Elsewhere\nA different show now.\n", path: "o.show.md").compile(catalog: nil, seed: 1)
        let program = Program(id: "o", rundown: try #require(other.rundown), catalog: nil)
        d.willEnterSegment = { id, p, _ in id == "t" && p.segment == 1 ? program : nil }
        let ms = try await run(d, seconds: 40)
        #expect(lines(ms).map(\.1).last == "A different show now.")
        #expect(ms.last { if case .segment = $0.kind { return true } else { return false } }?.program == "o")
    }

    /// Skipping during a full-screen clip stops it now (picture and sound), not at its end;
    /// an answer, by contrast, waits for it.
    @Test func skippingDuringAClipStopsItNowAndAnAnswerWaitsForIt() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let clip = try TestSupport.colourClip(dir.appendingPathComponent("spot.mp4").path, size: "64x64", seconds: 10, tone: 440)
        let text = "---\ntitle: t\n---\n# Spot\n@play \"\(clip)\" full\nAfter the spot.\n# Next\nThe next segment starts here.\n"
        let rundown = try #require(ScriptCompiler.parse(text, path: "t.show.md").compile(catalog: nil, seed: 7, media: ShowMedia.resolve).rundown)
        let rig = try Rig.load(from: TestSupport.path("Models/juno/rig.json"))

        // An answer offered 2 s into the clip is spoken after it (10.5 s in), not over it.
        let waits = LiveDirector(program: Program(id: "t", rundown: rundown, catalog: nil), rig: rig)
        var offered = false
        let answered = try await run(waits, seconds: 12) { pos in
            if !offered, pos >= Self.rate * 2 { offered = true; waits.offer(self.answer("Yes, it ships tonight."), arrivedAt: 0) }
        }.first { if case .answer = $0.kind { true } else { false } }
        #expect((answered?.at ?? 0) >= Self.rate * 10, "the answer cut into the clip at \(Double(answered?.at ?? 0) / 48_000) s")

        let d = LiveDirector(program: Program(id: "t", rundown: rundown, catalog: nil), rig: rig)
        var skippedAt: Int?
        var clipAfter = 0
        var pcm: [Float] = []
        var ms: [LiveDirector.Marker] = []
        for _ in 0..<(4 * 30) {
            try await d.plan()
            let pos = d.audioPosition
            if skippedAt == nil, pos >= Self.rate * 2 { skippedAt = pos; d.skipSegment(); try await d.plan() }
            if let s = skippedAt, pos > s + Self.rate / 10, pos < s + Self.rate / 2, d.sampler.state(at: pos).clip != nil { clipAfter += 1 }
            pcm += d.read(Self.step)
            ms += d.passed(upTo: d.audioPosition)
        }
        let skip = try #require(skippedAt)
        let next = ms.first { if case .segment("Next", _) = $0.kind { true } else { false } }
        // The next segment starts within a breath of the skip, not when the 10 s clip would end.
        #expect(next.map { $0.at - skip < Self.rate / 2 } == true, "next segment at \(Double(next?.at ?? -1) / 48_000) s, skipped at \(Double(skip) / 48_000) s")
        #expect(clipAfter == 0, "the clip stayed on screen after the skip")
        // Its sound stops too: loud just before, silent just after (before the next line begins).
        let rms = { (r: Range<Int>) in (pcm[r].reduce(0) { $0 + Double($1 * $1) } / Double(r.count)).squareRoot() }
        #expect(rms((skip - Self.rate / 2)..<skip) > 0.05 && rms((skip + Self.rate / 20)..<(skip + Self.rate / 4)) < 0.005,
                "clip sound \(rms((skip - Self.rate / 2)..<skip)) before, \(rms((skip + Self.rate / 20)..<(skip + Self.rate / 4))) after")
    }
}
