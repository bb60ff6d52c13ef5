@testable import AnchorChat
import AnchorCore
import AnchorTestSupport
import Foundation
import Testing

@Suite struct ViewerEventTests {
    func parse(_ json: String) throws -> ViewerEvent {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try ViewerEvent.parse(o, time: 7, platform: "test")
    }

    func error(_ json: String) -> String? {
        do { _ = try parse(json); return nil } catch { return "\(error)" }
    }

    @Test func eventsOfEveryKindAreRead() throws {
        let gift = try parse(#"{"t": 1.5, "type": "gift", "user": "u1", "name": "Ann", "gift": "rose", "count": 3, "value": 30}"#)
        #expect(gift.kind == .gift && gift.user == "u1" && gift.name == "Ann" && gift.gift == "rose" && gift.count == 3 && gift.value == 30 && gift.time == 1.5)
        let paid = try parse(#"{"type": "paid_message", "user": "u2", "text": "hi", "amount": 4.99, "currency": "usd"}"#)
        #expect(paid.kind == .paidMessage && paid.amount == 4.99 && paid.currency == "USD" && paid.time == 7)
        // A chat log line is an event log line: no type, a text.
        let message = try parse(#"{"t": 2, "user": "bo", "text": "how much?"}"#)
        #expect(message.kind == .message && message.message?.text == "how much?" && message.message?.user == "bo")
        #expect(try parse(#"{"type": "like", "user": "u3", "count": 1, "value": 1}"#).message == nil)
        for kind in ["follow", "join", "share"] { #expect(try parse(#"{"type": "\#(kind)", "user": "u"}"#).kind.rawValue == kind) }
    }

    @Test func badEventsSayWhatIsWrong() {
        #expect(error(#"{"type": "rocket", "user": "u"}"#)?.contains("unknown type 'rocket'") == true)
        #expect(error(#"{"user": "u"}"#)?.contains("no \"type\"") == true)
        #expect(error(#"{"type": "gift", "count": 0}"#)?.contains("count") == true)
        #expect(error(#"{"type": "gift", "count": 2.5}"#)?.contains("count") == true)
        #expect(error(#"{"type": "gift", "value": -1}"#)?.contains("value") == true)
        #expect(error(#"{"type": "gift", "value": true}"#)?.contains("must be a number") == true)
        #expect(error(#"{"type": "gift", "t": "soon"}"#)?.contains("\"t\" must be a number") == true)
        #expect(error(#"{"type": "paid_message", "text": "hi"}"#)?.contains("amount") == true)
        #expect(error(#"{"type": "paid_message", "amount": 5}"#)?.contains("text") == true)
        #expect(error(#"{"type": "follow", "lang": "fr"}"#)?.contains("lang") == true)
    }

    @Test func bodiesAreObjectsArraysOrLinesAndALogNamesTheBadLine() throws {
        let now = 100.0
        #expect(try ViewerEvent.parse(json: Data(#"{"type": "follow", "user": "a"}"#.utf8), time: now, platform: "http").count == 1)
        #expect(try ViewerEvent.parse(json: Data(#"[{"type": "follow"}, {"type": "like", "count": 9}]"#.utf8), time: now, platform: "http").count == 2)
        #expect(try ViewerEvent.parse(json: Data("{\"type\": \"follow\"}\n\n{\"type\": \"join\"}\r\n".utf8), time: now, platform: "http").count == 2)
        #expect(throws: ViewerEvent.FormatError.self) { try ViewerEvent.parse(json: Data("{\"type\": \"follow\"}\n{\"type\": \"boo\"}".utf8), time: now, platform: "x") }

        let dir = try TestSupport.temporaryDirectory().path
        let path = dir + "/events.jsonl"
        try "{\"t\": 1, \"type\": \"gift\", \"user\": \"a\"}\n\n{\"t\": 2, \"type\": \"gift\", \"count\": -3}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ChatLogFile.LineError.self) { try EventLogFile(path: path).readAll() }
        do { _ = try EventLogFile(path: path).readAll() } catch { #expect("\(error)".hasPrefix(path + ":3: ")) }
        // The chat reader skips the events of a mixed log.
        try "{\"t\": 1, \"type\": \"gift\", \"user\": \"a\"}\n{\"t\": 2, \"user\": \"b\", \"text\": \"hi\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try ChatLogFile(path: path).readAll().map(\.text) == ["hi"])
    }
}

@Suite struct ThanksTests {
    func gift(_ user: String, _ name: String?, _ gift: String = "rose", count: Int = 1, value: Double = 10, at t: Double) -> ViewerEvent {
        ViewerEvent(kind: .gift, user: user, name: name, gift: gift, count: count, value: value, time: t)
    }

    /// The thanks due at `t` (mutating calls cannot sit inside #expect).
    func due(_ r: inout Responder, at t: Double) -> (Decision, first: Double)? { r.dueThanks(at: t) }
    func take(_ r: inout Responder, _ e: ViewerEvent) -> Decision? { r.take(e, onScreen: nil, language: .en) }

    func responder(_ policy: ThanksPolicy? = nil) throws -> Responder {
        var book = try RuleBook.load(TestSupport.path("Scripts/default.rules.yaml"))
        if let policy { book.thanks = policy }
        var r = Responder(index: try FactIndex(catalog: Catalog()), rules: book, moderator: Moderator(policy: {
            var p = Moderator.Policy(); p.blockList = ["fuck"]; return p
        }()))
        if let policy { r.thanks.policy = policy }
        return r
    }

    @Test func giftsGatherIntoOneLineOrderedByValueWithBlockedNamesOnlyCounted() throws {
        var r = try responder()
        for e in [gift("u1", "Ann", count: 3, value: 30, at: 0), gift("u2", "Bo", value: 10, at: 0.5),
                  gift("u3", "fuck_u_host", count: 5, value: 50, at: 0.8), gift("u4", "Cy", value: 5, at: 1)] {
            #expect(r.take(e, onScreen: nil, language: .en) == nil)
        }
        #expect(due(&r, at: 1.0) == nil, "the burst settles for 1.5 s first")
        let (d, first) = try #require(due(&r, at: 2))
        #expect(d.reply == "Thank you Ann, Bo, Cy and 1 more for 10 roses!", "\(d.reply ?? "")")
        #expect(d.source == .thanks && d.intent == .thanks && first == 0 && d.showsQuestion)
        #expect(!(d.reply ?? "").contains("fuck") && !(d.displayName ?? "").contains("fuck") && !d.question.contains("fuck"))
        #expect(d.question == "10 roses")
    }

    @Test func giftsOfSeveralKindsWaitingTogetherGoInOneLine() throws {
        var r = try responder()
        _ = r.take(gift("u1", "Ann", "rose", count: 2, value: 20, at: 0), onScreen: nil, language: .en)
        _ = r.take(gift("u2", "Bo", "rocket", count: 1, value: 500, at: 0.2), onScreen: nil, language: .en)
        _ = r.take(gift("u3", "Cy", "lollipop", count: 3, value: 3, at: 3), onScreen: nil, language: .en)
        let (d, first) = try #require(due(&r, at: 2))
        // The lollipop (not yet settled) goes along: nothing waits for the next line.
        #expect(d.reply == "Thank you Bo, Ann and Cy for 6 gifts!" && first == 0, "\(d.reply ?? "")")
        #expect(due(&r, at: 20) == nil)
    }

    @Test func atMostOneLineEveryTenSecondsAndAViewerIsNamedOncePerMinute() throws {
        var r = try responder()
        var lines: [(Double, String)] = []
        // A gift every 100 ms for two minutes from the same three viewers.
        for i in 0..<1_200 {
            let t = Double(i) / 10
            _ = r.take(gift("u\(i % 3)", ["Ann", "Bo", "Cy"][i % 3], at: t), onScreen: nil, language: .en)
            if let (d, _) = r.dueThanks(at: t) { lines.append((t, d.reply ?? "")) }
        }
        #expect(lines.count >= 10 && lines.count <= 12, "\(lines.count)")
        for (a, b) in zip(lines, lines.dropFirst()) { #expect(b.0 - a.0 >= 10) }
        // Named in the first line, then counted only until a minute has passed.
        #expect(lines[0].1.contains("Ann") && lines[0].1.contains("Bo") && lines[0].1.contains("Cy"))
        #expect(lines[1].1 == "Thank you 3 of you for 300 roses!" || !lines[1].1.contains("Ann"), "\(lines[1].1)")
        #expect(lines.contains { $0.0 >= 60 && $0.1.contains("Ann") })
    }

    @Test func likesAreThankedAsAGroupAndSmallGiftsAndJoinsAreNot() throws {
        var policy = ThanksPolicy()
        policy.minGift = 20
        policy.likesEvery = 30
        policy.minLikes = 70
        var r = try responder(policy)
        _ = r.take(gift("u1", "Ann", value: 5, at: 0), onScreen: nil, language: .en)
        _ = r.take(ViewerEvent(kind: .join, user: "u2", name: "Bo", time: 0), onScreen: nil, language: .en)
        for i in 0..<30 { _ = r.take(ViewerEvent(kind: .like, user: "v\(i)", count: 2, time: Double(i) / 10), onScreen: nil, language: .en) }
        #expect(due(&r, at: 5) == nil, "60 likes are too few, the gift is too small and joins are off")
        _ = r.take(ViewerEvent(kind: .like, user: "x", count: 11, time: 5), onScreen: nil, language: .en)
        let (likes, _) = try #require(due(&r, at: 5.1))
        #expect(likes.reply == "Thank you for the 71 likes, everyone!" && likes.topic == "thanks:like")
        // Likes again only after `likes_every`.
        _ = r.take(ViewerEvent(kind: .like, user: "x", count: 500, time: 6), onScreen: nil, language: .en)
        #expect(due(&r, at: 30) == nil)
        #expect(due(&r, at: 35.2)?.0.reply == "Thank you for the 500 likes, everyone!")
    }

    @Test func aViewerIsThankedInTheLanguageTheyWriteIn() throws {
        var r = try responder()
        _ = r.take(ViewerEvent(ChatMessage(user: "小美", text: "主播好漂亮", time: 0)), onScreen: nil, language: .en)
        _ = r.take(ViewerEvent(kind: .follow, user: "id9", name: "小美", time: 1), onScreen: nil, language: .en)
        _ = r.take(ViewerEvent(kind: .gift, user: "id8", name: "Ann", gift: "rose", count: 2, value: 2, time: 1), onScreen: nil, language: .en)
        let (first, _) = try #require(due(&r, at: 3))
        #expect(first.reply == "Thank you Ann for 2 roses!", "gifts before follows: \(first.reply ?? "")")
        #expect(due(&r, at: 5) == nil)
        let (second, _) = try #require(due(&r, at: 13))
        #expect(second.reply == "谢谢小美的关注！" && second.language == "zh", "\(second.reply ?? "")")
    }

    @Test func paidMessagesAreReadAfterModerationAndGoFirst() throws {
        var r = try responder()
        let ok = try #require(take(&r, ViewerEvent(kind: .paidMessage, user: "u1", name: "Dee", text: "love this!", amount: 5, currency: "USD", time: 0)))
        #expect(ok.reply == "Dee sent $5: love this!" && ok.source == .paid && ok.showsQuestion && ok.displayName == "Dee · $5")
        let link = try #require(take(&r, ViewerEvent(kind: .paidMessage, user: "u2", name: "Eve", text: "buy at cheapdeals.shop/x", amount: 30,
                                                   currency: "CNY", time: 1)))
        #expect(link.reply == "Thank you Eve for ¥30!" && !(link.reply ?? "").contains("cheapdeals") && !link.question.contains("cheapdeals"),
                "\(link.reply ?? "") / \(link.question)")
        let zh = try #require(take(&r, ViewerEvent(kind: .paidMessage, user: "u3", name: "fuck_you", text: "主播加油", amount: 10, currency: "CNY", time: 2)))
        #expect(zh.reply == "朋友送出10元：主播加油" && zh.language == "zh", "\(zh.reply ?? "")")
    }

    @Test func giftNamesArePluralAndABlockedGiftNameIsAGift() {
        let m = Moderator(policy: { var p = Moderator.Policy(); p.blockList = ["fuck"]; return p }())
        #expect(Responder.gifts("rose", count: 3, zh: false, moderator: m) == "3 roses")
        #expect(Responder.gifts("lolly", count: 2, zh: false, moderator: m) == "2 lollies")
        #expect(Responder.gifts("kiss", count: 2, zh: false, moderator: m) == "2 kisses" || Responder.gifts("kiss", count: 2, zh: false, moderator: m) == "2 kiss")
        #expect(Responder.gifts("box", count: 2, zh: false, moderator: m) == "2 boxes")
        #expect(Responder.gifts("rose", count: 1, zh: false, moderator: m) == "the rose")
        #expect(Responder.gifts("fuck", count: 4, zh: false, moderator: m) == "4 gifts")
        #expect(Responder.gifts("火箭", count: 2, zh: true, moderator: m) == "2个火箭")
    }

    @Test func aStormStaysBounded() throws {
        var r = try responder()
        // 30 000 gifts from 20 000 viewers under 5 000 gift names: memory is bounded by what is kept.
        for i in 0..<30_000 {
            _ = r.take(gift("u\(i % 20_000)", "v\(i % 20_000)", "g\(i % 5_000)", value: Double(i % 7), at: Double(i) / 5_000), onScreen: nil, language: .en)
        }
        let (d, _) = try #require(due(&r, at: 8))
        #expect(d.reply?.hasPrefix("Thank you ") == true && d.reply?.contains(" of you for ") == true, "\(d.reply ?? "")")
        #expect(r.thanks.waiting.groups <= ThanksDesk.maxGroups && r.thanks.waiting.givers <= ThanksDesk.maxGroups * ThanksDesk.keptGivers)
    }

    @Test func thanksSettingsComeFromTheRulesFileAndBadOnesAreErrors() throws {
        let dir = try TestSupport.temporaryDirectory().path
        let good = dir + "/good.rules.yaml"
        try "rules: []\nthanks:\n  every: 30s\n  min_gift: 100\n  joins: true\n  names: 2\n".write(toFile: good, atomically: true, encoding: .utf8)
        let policy = try #require(try RuleBook.load(good).thanks)
        #expect(policy.every == 30 && policy.minGift == 100 && policy.joins && policy.names == 2 && policy.window == 1.5)
        for (bad, says) in [("thanks:\n  evry: 3s\n", "unknown thanks setting 'evry'"), ("thanks:\n  every: soon\n", "thanks.every"),
                            ("thanks:\n  joins: 3\n", "true or false"), ("thanks: 5\n", "'thanks' must map")] {
            let path = dir + "/bad.rules.yaml"
            try ("rules: []\n" + bad).write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: RuleBook.LoadError.self) { try RuleBook.load(path) }
            do { _ = try RuleBook.load(path) } catch { #expect(error.description.contains(says), "\(error)") }
        }
    }
}

@Suite struct LuckyDrawTests {
    func said(_ user: String, _ text: String, platform: String = "twitch", name: String? = nil) -> ViewerEvent {
        ViewerEvent(kind: .message, platform: platform, user: user, name: name, text: text, time: 0)
    }

    @Test func oneEntryPerViewerByIdAfterModerationAndAReproduciblePick() throws {
        var policy = Moderator.Policy()
        policy.blockList = ["fuck"]
        var r = Responder(index: try FactIndex(catalog: Catalog()), rules: try RuleBook.load(TestSupport.path("Scripts/default.rules.yaml")),
                          moderator: Moderator(policy: policy))
        var draw = LuckyDraw(keyword: "Lucky Star")
        func enter(_ e: ViewerEvent) -> Bool {
            let d = r.take(e, onScreen: nil, language: .en)!
            return draw.consider(e, decision: d)
        }
        #expect(enter(said("u1", "lucky star!!", name: "Ann")))
        #expect(!enter(said("u1", "LUCKY STAR again", name: "Ann")), "one entry per viewer")
        #expect(enter(said("u1", "l u c k y  s t a r", platform: "youtube", name: "Ann")), "another platform's u1 is another viewer")
        #expect(!enter(said("u2", "lucky")), "the whole keyword")
        #expect(!enter(said("u3", "lucky star at cheapdeals.shop/x")), "a blocked message never enters")
        #expect(enter(said("u4", "luckystar", name: "fuck_u_host")))
        let anyDecision = r.take(said("u5", "x"), onScreen: nil, language: .en)!
        let giftEntered = draw.consider(ViewerEvent(kind: .gift, user: "u5", gift: "lucky star", time: 0), decision: anyDecision)
        #expect(!giftEntered, "only messages enter")
        #expect(draw.entrants.map(\.id) == ["twitch:u1", "youtube:u1", "twitch:u4"])
        #expect(draw.entrants.last?.name == nil, "a blocked name is never kept to be said")
        // The same seed and entrants give the same winner; seeds spread over all entrants.
        let winners = Set((0..<200).compactMap { draw.pick(seed: UInt64($0))?.id })
        #expect(winners.count == 3)
        #expect(draw.pick(seed: 42) == draw.pick(seed: 42))
        var again = LuckyDraw(keyword: "Lucky Star")
        again.restore(draw.entrants)
        #expect(again.pick(seed: 42) == draw.pick(seed: 42))
        #expect(LuckyDraw(keyword: "x").pick(seed: 1) == nil)
    }

    @Test func theWordsComeFromTheRulesInTheShowsLanguage() throws {
        let rules = try RuleBook.load(TestSupport.path("Scripts/default.rules.yaml"))
        let open = LuckyDraw.announcement(keyword: "lucky", seconds: 60, language: .en, rules: rules)
        #expect(LuckyDraw.tagged(open).intent == .urgency && LuckyDraw.tagged(open).text.contains("Type lucky in the chat in the next 60 seconds"))
        let winner = LuckyDraw.result(.init(id: "t:1", name: "Ann_2024", said: "Ann"), entrants: 12, keyword: "lucky", language: .en, rules: rules)
        #expect(LuckyDraw.tagged(winner).text == "And the winner is Ann! Congratulations! 12 of you entered.")
        #expect(LuckyDraw.result(.init(id: "t:1", name: nil), entrants: 1, keyword: "好运", language: .zh, rules: rules).contains("恭喜朋友中奖"))
        #expect(LuckyDraw.result(nil, entrants: 0, keyword: "lucky", language: .en, rules: nil).contains("Nobody entered"))
    }
}

@Suite struct SpokenNameTests {
    /// Found measuring a 5 000 events/s storm: "Thank you viewer4979, viewer1958, viewer1723 and
    /// 44 more" took 12.5 s to say, and answers waited behind it.
    @Test func longNumbersAreNotReadOutAndNamesAreSaidOnce() {
        #expect(SpokenName.of("viewer4979") == "viewer")
        #expect(SpokenName.of("ann_88") == "ann 88")
        #expect(SpokenName.of("v17368") == nil, "too little is left: 'friend'")
        #expect(SpokenName.of("小美2023") == "小美")
        #expect(SpokenName.of("Bo") == "Bo")
        let m = Moderator(policy: { var p = Moderator.Policy(); p.blockList = ["fuck"]; return p }())
        let said = ["viewer4979", "viewer1958", "Ann"].compactMap(m.sayableName)
        #expect(NameList.spoken(said, total: 47, zh: false) == "viewer, Ann and 45 more")
        // What is said is moderated again: leaving the digits out must not make a word.
        #expect(m.speakableName("fu123ck") != nil && m.sayableName("fu123ck") == nil)
        #expect(NameList.shown(["viewer4979", "viewer1958", "Ann"], total: 47) == "viewer4979, viewer1958, Ann +44")
    }
}

@Suite struct SpokenNumberTests {
    /// Found by the fuzzer: "Thank you friend for 99 C3333333!" (a free-text currency) and
    /// seven bare digits read as a phone number; a currency is a code and numbers are grouped.
    @Test func numbersAreGroupedAndCurrenciesAreCodes() throws {
        #expect(SpokenNumber.grouped(1_234_567) == "1,234,567" && SpokenNumber.grouped(999) == "999" && SpokenNumber.grouped(1_000) == "1,000")
        #expect(SpokenNumber.amount(99_999.99) == "99,999.99" && SpokenNumber.amount(5) == "5" && SpokenNumber.amount(4.5) == "4.50")
        #expect(Responder.amount(1_234_567, currency: "USD", zh: false) == "$1,234,567")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(#"{"type": "paid_message", "text": "x", "amount": 9, "currency": "C3333333"}"#.utf8)) as? [String: Any])
        #expect(throws: ViewerEvent.FormatError.self) { try ViewerEvent.parse(o, time: 0, platform: "x") }
        #expect(NameList.spoken([], total: 1_500_000, zh: false) == "1,500,000 of you")
    }
}
