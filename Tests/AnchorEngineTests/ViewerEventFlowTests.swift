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

    @Test func aPaidMessageJumpsTheQueue() {
        var q = AnswerQueue()
        func d(_ source: Decision.Source, _ user: String) -> Decision {
            Decision(reply: "r \(user)", intent: .answer, source: source, detail: "", productSKU: nil, language: "en", user: user,
                     question: "q", seconds: 0, topic: "t\(user)")
        }
        q.add(d(.rule, "a"), arrivedAt: .now)
        q.add(d(.thanks, "b"), arrivedAt: .now)
        q.add(d(.paid, "c"), arrivedAt: .now)
        q.add(d(.paid, "e"), arrivedAt: .now)
        var order: [String] = []
        while let (x, _) = q.pop() { order.append(x.user) }
        #expect(order == ["c", "e", "a", "b"])
        // When too many wait, a paid message is the last to be shed.
        var full = AnswerQueue()
        full.add(d(.paid, "p"), arrivedAt: .now)
        for u in ["1", "2", "3", "4", "5"] { full.add(d(.facts, u), arrivedAt: .now) }
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
