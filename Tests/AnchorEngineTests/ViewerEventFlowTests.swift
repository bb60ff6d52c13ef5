import AnchorAvatar
import AnchorChat
import AnchorCore
@testable import AnchorEngine
import AnchorScript
import AnchorTestSupport
import Foundation
import Testing

/// Viewer events through the live inbox and the answer queue: counted as they arrive, thanked
/// within the policy's limits, paid messages first.
@Suite struct ViewerEventFlowTests {
    func chat() throws -> LiveChat {
        LiveChat(responder: Responder(index: try FactIndex(catalog: Catalog()), rules: try RuleBook.load(TestSupport.path("Scripts/default.rules.yaml"))))
    }

    @Test func everyEventIsCountedAndAStormGivesOneThanksAtATime() throws {
        let live = try chat()
        let start = Date().timeIntervalSince1970
        // 5 000 events in one go (more than the inbox holds): likes, gifts, joins, messages.
        for i in 0..<5_000 {
            switch i % 4 {
            case 0: live.post(ViewerEvent(kind: .like, user: "v\(i)", count: 3, time: start))
            case 1: live.post(ViewerEvent(kind: .gift, user: "v\(i % 40)", name: "viewer\(i % 40)", gift: "rose", count: 1, value: 1, time: start))
            case 2: live.post(ViewerEvent(kind: .join, user: "v\(i)", time: start))
            default: live.post(ChatMessage(user: "v\(i)", text: "❤️", time: start))
            }
        }
        let s = live.stats
        #expect(s.events["like"] == 1_250 && s.events["gift"] == 1_250 && s.events["join"] == 1_250 && s.received == 1_250)
        #expect(s.likes == 3_750 && s.giftValue == 1_250)
        #expect(s.shed == 3_000, "the inbox holds 2 000; the rest are counted, then shed")
        // Frames pass: everything left is decided within budgets; one thanks after the window, none for 10 s after.
        var thanks: [(Double, Decision)] = []
        for frame in 0..<(30 * 25) {
            let now = start + Double(frame) / 30
            for (d, _) in live.decide(onScreen: nil, language: .en, now: now) where d.source == .thanks { thanks.append((now - start, d)) }
        }
        #expect(thanks.count >= 2 && thanks.count <= 3, "\(thanks.map { ($0.0, $0.1.reply ?? "") })")
        #expect(thanks.first.map { $0.0 >= 1.5 && $0.0 < 2 } == true)
        #expect(thanks.first?.1.reply?.contains("roses") == true, "gifts are thanked first: \(thanks.first?.1.reply ?? "")")
        for (a, b) in zip(thanks, thanks.dropFirst()) { #expect(b.0 - a.0 >= 10) }
        #expect(live.stats.thanks == thanks.count)
    }

    @Test func paidMessagesThenThanksJumpTheQueue() {
        var q = AnswerQueue()
        func d(_ source: Decision.Source, _ user: String) -> Decision {
            Decision(reply: "r \(user)", intent: .answer, source: source, detail: "", productSKU: nil, language: "en", user: user,
                     question: "q", seconds: 0, topic: "t\(user)")
        }
        q.add(d(.rule, "a"), arrivedAt: 0)
        q.add(d(.thanks, "b"), arrivedAt: 0)
        q.add(d(.paid, "c"), arrivedAt: 0)
        q.add(d(.paid, "e"), arrivedAt: 0)
        var order: [String] = []
        while let (x, _) = q.pop() { order.append(x.user) }
        #expect(order == ["c", "e", "b", "a"])
        // When too many wait, a paid message is the last to be shed.
        var full = AnswerQueue()
        full.add(d(.paid, "p"), arrivedAt: 0)
        for u in ["1", "2", "3", "4", "5"] { full.add(d(.facts, u), arrivedAt: 0) }
        #expect(full.pop()?.0.user == "p" && full.shed == 2)
    }

    @Test func theBubbleSaysWhoIsThankedAndForWhat() throws {
        let thanks = Decision(reply: "Thank you Ann for 3 roses!", intent: .thanks, source: .thanks, detail: "", productSKU: nil, language: "en",
                              user: "u1", question: "3 roses", seconds: 0, topic: "thanks:gift", displayName: "Ann", showsQuestion: true)
        let rundown = try #require(ScriptCompiler.parse("---\ntitle: T\n---\n# One\nHello.\n", path: "t.show.md").compile(catalog: nil, seed: 1).rundown)
        let answer = try #require(ChatAnswer(thanks, rundown: rundown))
        #expect(answer.bubble == ChatBubble(user: "Ann", text: "3 roses", style: .thanks))
        #expect(answer.utterance.intent == .thanks)
    }
}

/// A lucky draw on air: announced, entries counted on screen while the countdown runs, the
/// winner picked when the audio reaches its end (never earlier), and the show goes on.
@Suite struct LiveDrawTests {
    final class Host: DrawHost {
        var draw: LuckyDraw?
        var opens = 0
        func openDraw(keyword: String) { draw = LuckyDraw(keyword: keyword); opens += 1 }
        var drawEntrants: Int { draw?.entrants.count ?? 0 }
        func closeDraw() -> LuckyDraw? { defer { draw = nil }; return draw }
        var drawRules: RuleBook? { nil }
        func enter(_ user: String) {
            let e = ViewerEvent(kind: .message, platform: "t", user: user, name: user, text: "lucky", time: 0)
            let d = Decision(reply: nil, intent: .chat, source: .silence, detail: "", productSKU: nil, language: "en", user: user,
                             question: "lucky", seconds: 0, topic: "chatter", displayName: user)
            draw?.consider(e, decision: d)
        }
    }

    @Test func entriesCountWhileTheCountdownRunsAndTheWinnerIsSaidAtItsEnd() async throws {
        let rundown = try #require(ScriptCompiler.parse("---\ntitle: D\n---\n# One\nHello there.\n@draw lucky 10s\nAnd we go on.\n", path: "d.show.md")
            .compile(catalog: nil, seed: 3).rundown)
        let rig = try Rig.load(from: TestSupport.path("Models/juno/rig.json"))
        let director = LiveDirector(program: Program(id: "d", rundown: rundown, catalog: nil), rig: rig)
        let host = Host()
        director.drawHost = host
        var markers: [LiveDirector.Marker] = []
        var panels: [(Int, SceneState.DrawPanel)] = []
        var entered = 0
        for _ in 0..<(30 * 30) {
            try await director.plan()
            let t = director.audioPosition
            if host.draw != nil, entered < 3, t % 48_000 < 1_600 { host.enter("viewer\(entered)"); entered += 1 }
            if let p = director.sampler.state(at: t).draw { panels.append((t, p)) }
            _ = director.read(1_600)
            markers += director.passed(upTo: director.audioPosition)
            if director.isFinished { break }
        }
        #expect(host.opens == 1)
        let outcome = try #require(markers.compactMap { if case .draw(let o) = $0.kind { return o } else { return nil } }.first)
        #expect(outcome.entrants.map(\.id) == ["t:viewer0", "t:viewer1", "t:viewer2"] && outcome.winner != nil && outcome.keyword == "lucky")
        var again = LuckyDraw(keyword: "lucky")
        again.restore(outcome.entrants)
        #expect(again.pick(seed: outcome.seed) == outcome.winner)
        // The panel ran for the draw's ten seconds, counting down, the count growing to 3.
        let first = try #require(panels.first), last = try #require(panels.last)
        #expect(first.1.secondsLeft == 10 && last.1.secondsLeft == 1 && Double(last.0 - first.0) / 48_000 > 9.8)
        #expect(panels.map(\.1.entrants) == panels.map(\.1.entrants).sorted() && last.1.entrants == 3)
        let resultAt = try #require(markers.first { if case .draw = $0.kind { true } else { false } }?.at)
        #expect(resultAt >= last.0, "the winner is said after the countdown, not before")
        let lines = markers.compactMap { if case .line(let u) = $0.kind { return u.text } else { return nil } }
        #expect(lines.first { $0.contains("Lucky draw") } != nil && lines.last == "And we go on.", "\(lines)")
    }
}

/// An open lucky draw shows on the status page and in /status while it takes entries.
@Suite struct DrawStatusTests {
    @Test func anOpenDrawIsOnTheStatusBoard() throws {
        // One decide must take all four entries: a loaded machine can spend a frame's 4 ms budget on two.
        let live = LiveChat(responder: Responder(index: try FactIndex(catalog: Catalog()), rules: try RuleBook.load(TestSupport.path("Scripts/default.rules.yaml"))),
                            budget: .seconds(10))
        let board = Board(channel: "test", station: nil, chat: live)
        #expect(board.current.draw == nil)
        live.openDraw(keyword: "lucky")
        let now = Date().timeIntervalSince1970
        for i in 0..<3 { live.post(ViewerEvent(kind: .message, user: "u\(i)", name: "viewer\(i)", text: "lucky!", time: now)) }
        live.post(ViewerEvent(kind: .message, user: "u0", name: "viewer0", text: "lucky again", time: now))
        _ = live.decide(onScreen: nil, language: .en, now: now + 1)
        #expect(board.current.draw == Board.DrawSnapshot(keyword: "lucky", entrants: 3))
        #expect(StatusPage.render(board.current).contains("“lucky” open, 3 entrants"))
        _ = live.closeDraw()
        #expect(board.current.draw == nil)
    }

    @Test func aClipThatCouldNotPlayIsOnTheStatusBoard() {
        let board = Board(channel: "test", station: nil, chat: nil)
        var status = LiveRenderer.Status(elapsed: 1, mediaSeconds: 1, framesSent: 30, framesSkipped: 0, fps: 30, videoKbps: 400, destinations: [])
        board.update(status)
        #expect(board.current.media.isEmpty)
        status.problems = ["cannot play /shows/ad.mp4: no such file"]
        board.update(status)
        #expect(board.current.media == status.problems)
        #expect(StatusPage.render(board.current).contains("not played") && StatusPage.render(board.current).contains("/shows/ad.mp4"))
    }
}
