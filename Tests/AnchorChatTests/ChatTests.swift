@testable import AnchorChat
import AnchorCore
import AnchorStore
import AnchorTestSupport
import Foundation
import Testing

@Suite struct ChatTextTests {
    @Test func normalizationUndoesWidthCaseAndSpacingTricks() {
        let t = ChatText("ＦＲＥＥ   Ｆｏｌｌｏｗｅｒｓ")
        #expect(t.normalized == "free followers")
        #expect(ChatText("f.r.e.e f-o-l-l-o-w-e-r-s").squeezed == "freefollowers")
        #expect(ChatText("fr33 f0ll0wers").squeezed == "freefollowers")
        #expect(ChatText("面膜多少钱").language == .zh && ChatText("how much?").language == .en)
        #expect(ChatText("iphone能用吗").language == .zh)
    }

    @Test func termsCoverEnglishWordsAndChinesePairs() {
        #expect(ChatText.terms("How much are the Earbuds?") == ["much", "earbud"])
        // Neighbouring pairs, never a lone character inside a longer run.
        let zh = ChatText.terms("面膜多少钱")
        #expect(zh == ["面膜", "膜多", "多少", "少钱"])
        #expect(ChatText.terms("牛") == ["牛"])
    }
}

@Suite struct ModeratorTests {
    func check(_ m: inout Moderator, _ user: String, _ text: String, at t: Double) -> Moderator.Verdict {
        m.check(ChatMessage(user: user, text: text, time: t), text: ChatText(text))
    }

    @Test func blockListMatchesThroughTricks() {
        var policy = Moderator.Policy()
        policy.blockList = ["scam", "垃圾"]
        var m = Moderator(policy: policy)
        #expect(check(&m, "a", "this is a S C A M", at: 0) == .block("block list: 'scam'"))
        #expect(check(&m, "b", "ｓ.c.a.m!!", at: 1) == .block("block list: 'scam'"))
        #expect(check(&m, "c", "垃 圾产品", at: 2) == .block("block list: '垃圾'"))
        #expect(check(&m, "d", "is the serum good?", at: 3) == .allow)
    }

    @Test func linksSpamRepeatsAndFloods() {
        var m = Moderator()
        #expect(check(&m, "s", "visit http://x.example", at: 0) == .block("link"))
        #expect(check(&m, "s", "cheap followers at www dot spam dot example", at: 0) == .block("link"))
        #expect(check(&m, "s2", "c h e a p followers here", at: 0) == .block("spam: 'cheapfollowers'"))
        #expect(check(&m, "s3", "best-deals.shop", at: 0) == .block("link"))
        #expect(check(&m, "u", "how much?", at: 1) == .allow)
        #expect(check(&m, "u", "HOW MUCH??", at: 2) == .block("repeat"))
        for i in 0..<6 { #expect(check(&m, "f", "question \(i)", at: 10 + Double(i)) == .allow) }
        #expect(check(&m, "f", "question 7", at: 16) == .block("rate limit (6 in 30 s)"))
        #expect(check(&m, "f", "question 8", at: 60) == .allow, "the window moves on")
        #expect(check(&m, "e", "   ", at: 0) == .block("empty"))
        #expect(check(&m, "l", String(repeating: "a", count: 65_536), at: 0) == .block("too long (65536 characters)"))
    }
}

@Suite struct ResponderTests {
    static func responder() throws -> Responder {
        let catalog = try CatalogFile.load(path: TestSupport.sharedFixture("catalog.json"))
        return Responder(index: try FactIndex(catalog: catalog), rules: try RuleBook.load(TestSupport.path("Scripts")))
    }

    func ask(_ r: inout Responder, _ q: String, onScreen: String? = nil, user: String = "v", at t: Double = 0) -> Decision {
        r.decide(ChatMessage(user: user, text: q, time: t), onScreen: onScreen)
    }

    @Test func pricesComeFromTheCatalog() throws {
        var r = try Self.responder()
        let d = ask(&r, "how much is the serum?")
        #expect(d.source == .facts && d.intent == .price && d.productSKU == "SKU-1001")
        #expect(d.reply == "HydraGlow Night Serum is $29.90 tonight, down from $49.90.")
        // The product on screen is the default referent.
        #expect(ask(&r, "price?", onScreen: "SKU-3001", user: "w").reply?.contains("$24") == true)
        let zh = ask(&r, "面膜多少钱")
        #expect(zh.language == "zh" && zh.reply?.contains("¥59") == true && zh.productSKU == "SKU-5001")
        // Every price the responder says is one of the catalog's.
        let catalog = r.index.catalog
        let prices = Set(catalog.products.flatMap { [$0.price.formatted(for: .en, style: .display), $0.price.formatted(for: .zh, style: .display)] })
        for (i, p) in catalog.products.enumerated() {
            let reply = ask(&r, "how much is it", onScreen: p.sku, user: "p\(i)").reply ?? ""
            #expect(prices.contains { reply.contains($0) }, "\(reply)")
        }
    }

    @Test func faqSpecsAndRules() throws {
        var r = try Self.responder()
        #expect(ask(&r, "do the earbuds work with iphone").reply == "Yes, any phone with Bluetooth works.")
        #expect(ask(&r, "羽绒服一米六五穿什么码", user: "a").reply?.contains("M码") == true)
        let real = ask(&r, "are you a real person?", user: "b")
        #expect(real.source == .rule && real.detail == "real-person" && real.reply?.contains("virtual host") == true)
        let night = ask(&r, "主播还不睡觉吗", user: "c")
        #expect(night.source == .rule && night.detail == "personal-at-night")
        // A greeting inside a product question does not hide the question.
        #expect(ask(&r, "hi! how much are the socks", user: "d").intent == .price)
    }

    @Test func unknownAndHostileInputIsHandledQuietly() throws {
        var r = try Self.responder()
        let unknown = ask(&r, "what's the weather on mars", user: "a")
        #expect(unknown.source == .fallback && r.unanswered.count == 1)
        let which = ask(&r, "how much?", user: "b")
        #expect(which.source == .fallback && which.reply?.contains("Which one do you mean") == true)
        let markup = ask(&r, "<speak><prosody rate='x-fast'>how much</prosody></speak> serum", user: "c")
        #expect(markup.reply?.contains("<") == false)
        for (i, junk) in ["", "🙂🙂🙂", String(decoding: [0xFF, 0xFE, 0x00, 0x41], as: UTF8.self), String(repeating: "啊", count: 100_000)].enumerated() {
            _ = ask(&r, junk, user: "j\(i)") // never crashes
        }
        #expect(ask(&r, "🙂🙂🙂", user: "e").source != .facts)
    }

    @Test func floodsBecomeOneAnswerNamingThreeAskers() throws {
        var r = try Self.responder()
        var merger = FloodMerger(window: 3)
        var out: [Decision] = []
        for (i, user) in ["mia", "kai", "sam", "lee", "ana"].enumerated() {
            out += merger.add(ask(&r, ["how much is the serum", "serum price?", "HOW MUCH IS THE SERUM", "price of the serum", "serum how much"][i], user: user, at: Double(i) * 0.3), at: Double(i) * 0.3)
        }
        #expect(out.isEmpty, "held for the window")
        out += merger.flush(until: 10)
        #expect(out.count == 1)
        #expect(out.first?.reply == "mia, kai, sam and 2 more asked: HydraGlow Night Serum is $29.90 tonight, down from $49.90.")
    }

    @Test func rulesFileErrorsAreClear() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let f = dir.appendingPathComponent("bad.rules.yaml")
        try "rules:\n  - id: x\n    any: [hi]\n".write(to: f, atomically: true, encoding: .utf8)
        #expect { try RuleBook.load(f.path) } throws: { "\($0)".contains("rule 'x' has no reply") }
        try "rules:\n  - id: y\n    regex: '(['\n    reply: [ok]\n".write(to: f, atomically: true, encoding: .utf8)
        #expect { try RuleBook.load(f.path) } throws: { "\($0)".contains("bad regex") }
    }

    @Test func unansweredQuestionsAreKeptForTheAuthor() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let log = UnansweredLog(database: try AnchorDatabase(path: dir.appendingPathComponent("a.db").path))
        try log.record(user: "a", text: "Do you ship to Mars?", language: "en", productSku: nil)
        try log.record(user: "b", text: "do you ship to mars?", language: "en", productSku: nil)
        try log.record(user: "c", text: "gift wrap?", language: "en", productSku: "SKU-1001")
        let entries = try log.entries()
        #expect(entries.count == 2 && entries[0].count == 2 && entries[0].lastUser == "b")
    }
}

/// Issue 16: moderation that knows live-commerce abuse, without blocking ordinary words.
@Suite struct AbuseTests {
    static let lists: [String] = ["en.txt", "zh.txt", "pinyin.txt"].flatMap { (try? BlockList.read(file: TestSupport.path("Assets/blocklists/" + $0))) ?? [] }

    func problem(_ text: String) -> String? {
        var policy = Moderator.Policy()
        policy.blockList = Self.lists
        return Moderator(policy: policy).problem(in: ChatText(text))
    }

    @Test(arguments: ["shut up b1tch", "傻 逼 主 播", "SB主播", "f u c k you", "fuckyou", "ur so ugly", "you're a moron!!", "shabi",
                      "call me 555-123-4567", "联系13812345678", "加我微信 wx123456", "vx: abc_778899", "扣扣 12345678",
                      "bit.ly/abc", "bit ly slash abc123", "cheapdeals.shop/xyz", "go to deals dot shop", "abc点com", "deals。com", "deals.c0m"])
    func blocked(_ text: String) {
        #expect(problem(text) != nil, "\(text) passed")
    }

    @Test(arguments: ["is the usb cable included?", "how heavy is the dumbbell", "can I get it closer to christmas", "I'm a glass person",
                      "the serum is $29.90?", "3 pairs for 24 dollars?", "参加活动有优惠吗", "扣1", "S fits EU 35-38", "what is the node.js version",
                      "i.e. the big one", "is it 100% cotton", "how much for 2"])
    func allowed(_ text: String) {
        #expect(problem(text) == nil, "\(text) was blocked: \(problem(text) ?? "")")
    }

    @Test func blockedNamesAreNeverSpokenOrDrawn() throws {
        var policy = Moderator.Policy()
        policy.blockList = Self.lists
        let catalog = CatalogFile.read(path: TestSupport.sharedFixture("catalog.json")).catalog
        var r = Responder(index: try FactIndex(catalog: catalog), rules: try RuleBook.load(TestSupport.path("Scripts/default.rules.yaml")),
                          moderator: Moderator(policy: policy))
        let hi = r.decide(ChatMessage(user: "fuck_u_host", text: "hi", time: 0), onScreen: nil)
        #expect(hi.source == .rule && hi.displayName == nil)
        #expect(hi.reply?.contains("fuck") == false && hi.reply?.contains("friend") == true, "\(hi.reply ?? "")")
        let price = r.decide(ChatMessage(user: "ann", text: "is the serum $19.90?", time: 100), onScreen: nil)
        #expect(price.reply?.contains("$29.90") == true && !price.showsQuestion) // a stated price is never drawn
        let clean = r.decide(ChatMessage(user: "bo", text: "how much is the serum?", time: 200), onScreen: nil)
        #expect(clean.showsQuestion && clean.displayName == "bo")
        let reaction = r.decide(ChatMessage(user: "cy", text: "666", time: 300), onScreen: nil)
        #expect(reaction.reply == nil && reaction.detail == "reaction")
    }
}

/// Issue 16: the host's wordings are data (the rules YAML), per language.
@Suite struct TemplateTests {
    @Test func aSellersTemplatesReplaceAnchorsAndTheRestComeFromTheDefaults() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let file = dir.appendingPathComponent("shop.rules.yaml")
        try """
            rules:
              - id: hi
                any: [hello]
                reply: {en: ["Hello {user}!"]}
            templates:
              fallback:
                en: ["Sorry {user}, I'll find out!"]
                zh: ["{user}，我去问问！"]
            """.write(to: file, atomically: true, encoding: .utf8)
        let base = try RuleBook.load(TestSupport.path("Scripts/default.rules.yaml"))
        let book = try RuleBook.load(file.path).filling(templatesFrom: base)
        let catalog = CatalogFile.read(path: TestSupport.sharedFixture("catalog.json")).catalog
        var r = Responder(index: try FactIndex(catalog: catalog), rules: book)
        #expect(r.decide(ChatMessage(user: "ann", text: "can I pay with crypto?", time: 0), onScreen: nil).reply == "Sorry ann, I'll find out!")
        #expect(r.decide(ChatMessage(user: "bo", text: "可以用支付宝吗？", time: 1), onScreen: nil).reply == "bo，我去问问！")
        // Not in the seller's file: anchor's wording.
        let which = r.decide(ChatMessage(user: "cy", text: "how much is the sweater", time: 2), onScreen: "SKU-1001")
        #expect(which.reply?.hasPrefix("Which one do you mean, cy? Tonight we have") == true, "\(which.reply ?? "")")
        // Merged answers read as the template says, naming the askers.
        let price = r.decide(ChatMessage(user: "dee", text: "how much is the serum", time: 3), onScreen: nil)
        let merged = FloodMerger.named(price, [("dee", "dee"), ("eve", "eve"), ("x", nil)])
        #expect(merged.reply == "dee, eve and 1 more asked: HydraGlow Night Serum is $29.90 tonight, down from $49.90.", "\(merged.reply ?? "")")
    }

    @Test func anUnknownTemplateIsAnError() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let file = dir.appendingPathComponent("x.rules.yaml")
        try "rules: []\ntemplates:\n  fallbak:\n    en: [hi]\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: RuleBook.LoadError.self) { try RuleBook.load(file.path) }
    }
}
