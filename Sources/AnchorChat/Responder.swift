import AnchorCore
import Foundation

/// Answers chat: rules first, then facts from the catalog (prices and stock read from it,
/// never invented), then a fallback that logs the question for the author. Owns the
/// moderator and cooldown state: one responder per channel, used from one task.
public struct Responder: Sendable {
    public let index: FactIndex
    public let rules: RuleBook
    public var moderator: Moderator
    private var lastFired: [String: Double] = [:]
    private var variant = 0
    /// Questions answered by the fallback (for `anchor chat unanswered`).
    public private(set) var unanswered: [ChatMessage] = []
    /// Gifts, follows and likes waiting to be thanked.
    public var thanks: ThanksDesk
    /// Each chatting viewer's language, so their gifts are thanked in it.
    var languages: [String: ChatText.ChatLanguage] = [:]

    /// Hands over the unanswered questions logged so far (a long-running channel stores them).
    public mutating func takeUnanswered() -> [ChatMessage] {
        defer { unanswered = [] }
        return unanswered
    }

    public init(index: FactIndex, rules: RuleBook, moderator: Moderator = Moderator()) {
        self.index = index
        self.rules = rules
        self.moderator = moderator
        thanks = ThanksDesk(policy: rules.thanks ?? ThanksPolicy())
    }

    enum Topic: String { case price, stock, link, size, general }

    /// Decides on one message; `onScreen` is the product being presented, if any.
    public mutating func decide(_ m: ChatMessage, onScreen: String?) -> Decision {
        let start = ContinuousClock.now
        let text = ChatText(m.text)
        if languages.count > 20_000 { languages = [:] }
        languages[m.user] = text.language
        var d = decideUntimed(m, text: text, onScreen: onScreen)
        let e = ContinuousClock.now - start
        d.seconds = e.inSeconds
        return d
    }

    private mutating func decideUntimed(_ m: ChatMessage, text: ChatText, onScreen: String?) -> Decision {
        let lang = text.language
        // A name that may not be spoken or drawn is never used: the asker is "friend".
        let name = moderator.speakableName(m.user)
        let book = rules // a copy the closures below read while `self` changes
        let said = name.flatMap(moderator.saying)
        let address = said ?? book.friend(lang)
        func decision(_ reply: String?, _ source: Decision.Source, _ detail: String, sku: String?, topic: String, intent: Intent = .answer) -> Decision {
            var r = reply
            var i = intent
            if let t = r, let (tag, rest) = Self.splitTag(t) { i = tag; r = rest }
            // The question is drawn only beside a real answer, and never when it states a price
            // (a viewer's "$0?" on screen would read as tonight's price).
            let shown = r != nil && (source == .rule || source == .facts) && !Self.claimsPrice(text)
            var d = Decision(reply: r, intent: i, source: source, detail: detail, productSKU: sku, language: lang.rawValue, user: m.user,
                             question: m.text, seconds: 0, topic: topic, displayName: name, showsQuestion: shown)
            d.spokenName = said
            // How this answer reads when several asked it ({users} filled in when merged).
            if let r, source == .facts { d.mergedReply = book.template("merged", lang)?.replacingOccurrences(of: "{answer}", with: r) }
            if source == .fallback, topic == "fallback" { d.mergedReply = book.template("fallback_merged", lang) }
            return d
        }
        // Cheering (emoji, 666, 扣1) is engagement: counted, never answered or shown.
        if MessageShape.isReaction(text) { return decision(nil, .silence, "reaction", sku: nil, topic: "reaction") }
        if case .block(let why) = moderator.check(m, text: text) { return decision(nil, .blocked, why, sku: nil, topic: "blocked") }

        let terms = text.terms
        let related = terms.flatMap { rules.synonyms[$0] ?? [] }
        let named = index.productsNamed(in: terms, related: related)
        let topic = Self.topic(of: text)
        let asksAboutProduct = topic != .general || !named.isEmpty
        func whichOne(_ detail: String) -> Decision {
            let names = index.catalog.products.prefix(4).map(\.name)
            let products = lang == .zh ? names.joined(separator: "、") : Self.list(names)
            let reply = (book.template("which_one", lang) ?? Self.lastResort["which_one", default: ""])
                .replacingOccurrences(of: "{user}", with: address).replacingOccurrences(of: "{products}", with: products)
            return decision(reply, .fallback, detail, sku: nil, topic: "which")
        }

        if let (i, rule) = rules.match(text), !(rule.yieldsToProductQuestions && asksAboutProduct && !named.isEmpty) {
            let key = "\(i)|\(lang.rawValue)"
            if let last = lastFired[key], m.time - last < rule.cooldown {
                return decision(nil, .silence, "rule '\(rule.id)' cooling down", sku: nil, topic: "rule:\(rule.id)")
            }
            let options = rule.replies[lang] ?? rule.replies[.en] ?? rule.replies.values.first ?? []
            let product = (named.first?.sku ?? onScreen).flatMap(index.catalog.product(sku:))
            let usable = options.filter { product != nil || !$0.contains("{product") }
            if !usable.isEmpty {
                lastFired[key] = m.time
                variant += 1
                let reply = RuleBook.speakable(fill(usable[variant % usable.count], user: address, product: product, lang: lang))
                return decision(reply, .rule, rule.id, sku: product?.sku, topic: "rule:\(rule.id)", intent: .chat)
            }
        }

        // A product question about a thing no product of tonight's is ("how much is the
        // sweater"): say what there is, never another product's facts.
        if named.isEmpty, topic != .general, let thing = unknownThing(terms + related, text: text, onScreen: onScreen) {
            return whichOne("'\(thing)' is not a product tonight")
        }
        // Which product: one named in the message, else the one on screen.
        let sku = named.first?.sku ?? onScreen
        guard let sku, let product = index.catalog.product(sku: sku) else {
            if asksAboutProduct || topic != .general { return whichOne("no product named or on screen") }
            return fallback(m, text: text, address: address, sku: nil, decision: decision)
        }
        let zhProduct = product.name.unicodeScalars.contains(where: ChatText.isHan)
        let priceLang: Language = lang == .zh ? .zh : .en
        switch topic {
        case .price:
            let price = product.price.formatted(for: priceLang, style: .display)
            let list = product.listPrice.map { $0.formatted(for: priceLang, style: .display) }
            let reply = lang == .zh
                ? "[price] \(product.name)今晚只要\(price)" + (list.map { "，原价\($0)" } ?? "") + "。"
                : "[price] \(product.name) is \(price) tonight" + (list.map { ", down from \($0)" } ?? "") + "."
            return decision(reply, .facts, "price", sku: sku, topic: topic.rawValue)
        case .stock:
            guard let stock = product.stock else { break }
            let reply = lang == .zh
                ? (stock > 0 ? "[urgency] \(product.name)还剩\(stock)件，要的抓紧哦。" : "\(product.name)已经卖完啦，我们正在补货。")
                : (stock > 0 ? "[urgency] Only \(stock) left of \(product.name)." : "\(product.name) is sold out right now, sorry.")
            return decision(reply, .facts, "stock", sku: sku, topic: topic.rawValue)
        case .link:
            guard let slot = product.slot else { break }
            let reply = lang == .zh ? "[cta] \(product.name)是\(slot)号链接，点购物车就能看到。" : "[cta] \(product.name) is item number \(slot) in the cart."
            return decision(reply, .facts, "slot", sku: sku, topic: topic.rawValue)
        case .size, .general:
            break
        }
        // Chatter that happens to name a product ("good night all" → the Night Serum) is no
        // question about it.
        guard MessageShape.isQuestion(text) else { return decision(nil, .silence, "not a question", sku: sku, topic: "chatter", intent: .chat) }
        // How many in a pack: the catalog says it in the name ("(3 pairs)", "（10片装）").
        if Self.asksQuantity(text), product.name.contains(where: { $0.isASCII && $0.isNumber }) {
            let reply = lang == .zh ? "这款是\(product.name)。" : "It's the \(product.name)."
            return decision(reply, .facts, "name", sku: sku, topic: "quantity")
        }
        // FAQ, specs, highlights of that product, by BM25 over what is left of the question.
        let nameTerms = Set(ChatText.terms(product.name + " " + (product.brand ?? "")))
        let rest = expand(terms.filter { !nameTerms.contains($0) })
        // An FAQ answer is written for people; prefer it over a spec or highlight that scores close.
        let found = ((try? index.search(rest.isEmpty ? terms : rest, sku: sku, limit: 4)) ?? [])
            .map { f -> FactIndex.Fact in var f = f; if f.kind == .faq { f.score *= 1.3 }; return f }
            .sorted { $0.score > $1.score }
        if let best = found.first, best.score >= Self.minimumScore(rest.count) {
            // Facts are in the catalog's language; a Chinese question about an English product
            // gets the English fact introduced in Chinese.
            let reply = lang == .zh && !zhProduct ? "关于\(product.name)：\(best.answer)" : best.answer
            return decision(reply, .facts, best.kind.rawValue, sku: sku, topic: topic.rawValue + ":" + best.kind.rawValue)
        }
        // "What are they good at?", 有什么特点: the product's first highlights.
        if Self.asksWhatItIs(text), let summary = Self.summary(of: product, zh: zhProduct) {
            let reply = lang == .zh && !zhProduct ? "关于\(product.name)：\(summary)" : summary
            return decision("[feature] " + reply, .facts, "highlights", sku: sku, topic: "about")
        }
        return fallback(m, text: text, address: address, sku: sku, decision: decision)
    }

    static func asksQuantity(_ text: ChatText) -> Bool {
        let s = text.normalized
        return s.contains("how many") || ["pairs in", "per pack", "in a pack", "in the pack", "in a box", "come with"].contains(where: s.contains)
            || s.range(of: #"[几多少][片个双包盒支瓶件条袋只]|一[盒包套袋箱]"#, options: .regularExpression) != nil
    }

    static func asksWhatItIs(_ text: ChatText) -> Bool {
        let s = text.normalized
        let words = Set(s.split { !$0.isLetter }.map(String.init))
        return !words.isDisjoint(with: ["good", "feature", "features", "special", "benefit", "benefits", "about", "why", "better", "difference"])
            || ["特点", "优点", "好在哪", "介绍", "有什么好", "卖点", "区别"].contains(where: s.contains)
    }

    /// The first two highlights as sentences.
    static func summary(of p: Product, zh: Bool) -> String? {
        guard !p.highlights.isEmpty else { return nil }
        let two = p.highlights.prefix(2)
        return zh ? two.joined(separator: "，") + "。" : two.map(FactIndex.sentence(highlight:)).joined(separator: " ")
    }

    /// The fallback is for real questions only; anything else that matched nothing is let be.
    private mutating func fallback(_ m: ChatMessage, text: ChatText, address: String, sku: String?,
                                   decision: (String?, Decision.Source, String, String?, String, Intent) -> Decision) -> Decision {
        guard MessageShape.isQuestion(text) else { return decision(nil, .silence, "not a question", sku, "chatter", .chat) }
        unanswered.append(m)
        let reply = (rules.template("fallback", text.language) ?? Self.lastResort["fallback", default: ""])
            .replacingOccurrences(of: "{user}", with: address)
        return decision(reply, .fallback, "no rule or fact matched", sku, "fallback", .answer)
    }

    /// Only for a rules book without templates (anchor's own `Scripts/default.rules.yaml` has
    /// them, and the CLI fills a seller's book from it): plain English.
    static let lastResort = ["fallback": "Good question, {user}! I'll ask the team, they'll answer in the comments.",
                             "which_one": "Which one do you mean, {user}? Tonight we have {products}."]

    static func minimumScore(_ terms: Int) -> Double { terms <= 1 ? 0.5 : 1.0 }

    /// How viewers ask vs how catalogs write: adds the catalog's words from the rules' synonyms.
    func expand(_ terms: [String]) -> [String] {
        terms + terms.flatMap { rules.synonyms[$0] ?? [] }
    }

    /// An English word in a product question that no product tonight is called and that is
    /// not part of asking ("how much is the *sweater*"), if any.
    func unknownThing(_ terms: [String], text: ChatText, onScreen: String?) -> String? {
        let screen = onScreen.flatMap(index.catalog.product(sku:)).map { p in
            Set(ChatText.terms(([p.name, p.brand ?? "", p.category ?? ""] + p.aliases + p.tags).joined(separator: " ")))
        } ?? []
        let english = terms.first { t in
            t.count >= 3 && t.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic }
                && !Self.askingWords.contains(t) && !screen.contains(t) && !index.isProductTerm(t) && rules.synonyms[t] == nil
        }
        return english ?? unknownChineseThing(text, screen: screen)
    }

    /// The same for Chinese: what is left of a run of Han characters once the asking words are
    /// taken out ("毛衣多少钱" → 毛衣), when none of its character pairs belongs to a product and it
    /// is not a word of pointing or counting (这个, 两个, 今晚, 主播…).
    func unknownChineseThing(_ text: ChatText, screen: Set<String>) -> String? {
        var s = text.normalized
        for w in Self.chineseAskingWords { s = s.replacingOccurrences(of: w, with: " ") }
        let chunks = s.split { !ChatText.isHan($0.unicodeScalars.first ?? " ") }.map(String.init)
        return chunks.first { chunk in
            let chars = Array(chunk.unicodeScalars)
            guard chars.count >= 2, !chars.contains(where: Self.chineseFunctionCharacters.contains) else { return false }
            let pairs = (0..<(chars.count - 1)).map { String(chars[$0]) + String(chars[$0 + 1]) }
            return !pairs.contains { index.isProductTerm($0) || screen.contains($0) || rules.synonyms[$0] != nil }
        }
    }

    static let chineseAskingWords = ["多少钱", "多少", "价格", "几块", "什么价", "贵不贵", "还有货", "有货", "库存", "还剩", "卖完", "链接", "几号",
                                     "怎么买", "吗", "呢", "吧", "啊", "呀", "什么", "怎么样", "多钱", "几元", "啥价", "价位"]
    static let chineseFunctionCharacters: Set<Unicode.Scalar> = ["这", "那", "个", "款", "件", "盒", "套", "今", "晚", "现", "在", "主", "播",
                                                                 "宝", "贝", "东", "西", "产", "品", "商", "一", "两", "几", "买", "卖", "要",
                                                                 "的", "了", "你", "我", "们", "它", "还", "有", "没", "是", "能", "可", "以"]

    /// Words that ask rather than name a thing (stems as `ChatText.terms` gives them).
    static let askingWords: Set<String> = [
        "much", "many", "price", "cost", "pricing", "cheap", "expensive", "discount", "deal", "sale", "offer", "tonight", "today", "now",
        "still", "left", "stock", "remaining", "sold", "out", "available", "link", "buy", "cart", "number", "item", "one", "thing",
        "product", "these", "those", "here", "get", "want", "need", "pls", "plz", "please", "thank", "thanks", "guy", "girl",
        "hey", "hello", "does", "did", "was", "were", "which", "who", "why", "when", "where", "whats", "wat", "hw", "mch",
        "dollar", "buck", "yuan", "usd", "rmb", "shipping", "size", "fit", "real", "again", "about", "like", "know", "tell",
        "same", "other", "last", "first", "next", "more", "less", "than", "new", "old", "all", "every", "each", "some", "them",
        "their", "his", "her", "our", "yours", "mine", "price", "qian", "duoshao", "jiage", "much", "also", "too", "very", "really",
        "way", "order", "ordering", "purchase", "pay", "checkout", "slot", "special", "only", "total", "pack", "set", "box",
    ]

    static func topic(of text: ChatText) -> Topic {
        let s = text.normalized
        let words = Set(s.split { !$0.isLetter }.map(String.init))
        let squeezed = text.squeezed
        // "how much does it weigh", "how big is the jar": a measure, not a price.
        let measure = !words.isDisjoint(with: measureWords) || ["多重", "多大", "多长", "多高", "重量", "容量", "几克", "几斤"].contains(where: s.contains)
        let claimsPrice = statesAmount(text)
        if !measure, ["多少钱", "价格", "几块", "什么价", "多少米", "贵不贵", "多少q", "多钱", "几元", "啥价", "价位", "多少money"].contains(where: s.contains)
            || ["howmuch", "hwmuch", "howmch", "hwmch", "howmuh", "duoshaoqian", "jiage", "duoshao"].contains(where: squeezed.contains)
            || words.contains("price") || words.contains("cost") || words.contains("costs") || words.contains("pricing") || words.contains("prc")
            || claimsPrice { return .price }
        if ["库存", "还有货", "有货吗", "还剩", "卖完", "剩几", "剩多少"].contains(where: s.contains) || s.contains("in stock") || s.contains("sold out")
            || words.contains("left") || words.contains("remaining") || words.contains("stock") { return .stock }
        if ["链接", "几号", "怎么买"].contains(where: s.contains) || words.contains("link") || s.contains("which number")
            || s.contains("where to buy") || s.contains("how to buy") { return .link }
        if ["尺码", "什么码", "多大码"].contains(where: s.contains) || words.contains("size") || words.contains("sizes") || words.contains("fit") { return .size }
        return .general
    }

    /// An amount of money in the text: "$19.90", "¥59", "59元", "20 bucks".
    static func statesAmount(_ text: ChatText) -> Bool {
        text.normalized.range(of: #"[$¥€£]\s*\d|\d\s*(元|块|dollars?|bucks?|usd|rmb)"#, options: .regularExpression) != nil
    }

    /// A price claim a viewer might get drawn on screen: an amount, or "free".
    static func claimsPrice(_ text: ChatText) -> Bool {
        statesAmount(text) || text.normalized.range(of: #"\bfree\b|免费|白送|不要钱"#, options: .regularExpression) != nil
    }

    static let measureWords: Set<String> = ["weigh", "weighs", "weight", "heavy", "big", "large", "small", "long", "tall", "wide",
                                            "volume", "ml", "grams", "gram", "kg", "capacity", "dimensions", "inches", "cm"]

    static func splitTag(_ s: String) -> (Intent, String)? {
        guard s.hasPrefix("["), let close = s.firstIndex(of: "]") else { return nil }
        guard let intent = Intent(rawValue: String(s[s.index(after: s.startIndex)..<close])) else { return nil }
        return (intent, s[s.index(after: close)...].trimmingCharacters(in: .whitespaces))
    }

    func fill(_ template: String, user: String, product: Product?, lang: ChatText.ChatLanguage) -> String {
        var s = template.replacingOccurrences(of: "{user}", with: user)
        if let p = product {
            let l: Language = lang == .zh ? .zh : .en
            s = s.replacingOccurrences(of: "{product.name}", with: p.name)
                .replacingOccurrences(of: "{product.price}", with: p.price.formatted(for: l, style: .display))
        }
        return s
    }

    static func list(_ names: [String]) -> String {
        switch names.count {
        case 0: return "nothing yet"
        case 1: return names[0]
        default: return names.dropLast().joined(separator: ", ") + " and " + names.last!
        }
    }
}
