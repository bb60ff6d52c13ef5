import AnchorCore
import Foundation

/// What to do with one message, and why.
public struct Decision: Sendable, Codable {
    public enum Source: String, Sendable, Codable { case rule, facts, fallback, silence, blocked }
    /// Script text to speak (may start with an `[intent]` tag); nil: say nothing.
    public var reply: String?
    public var intent: Intent
    public var source: Source
    /// The rule id, the facts used, or the reason for silence.
    public var detail: String
    public var productSKU: String?
    public var language: String
    /// The asker and what they asked.
    public var user: String
    public var question: String
    /// Seconds the decision took.
    public var seconds: Double
    /// The kind of question, for merging floods (price, stock, faq…).
    public var topic: String

    public init(reply: String?, intent: Intent, source: Source, detail: String, productSKU: String?, language: String,
                user: String, question: String, seconds: Double, topic: String) {
        self.reply = reply; self.intent = intent; self.source = source; self.detail = detail; self.productSKU = productSKU
        self.language = language; self.user = user; self.question = question; self.seconds = seconds; self.topic = topic
    }
}

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

    /// Hands over the unanswered questions logged so far (a long-running channel stores them).
    public mutating func takeUnanswered() -> [ChatMessage] {
        defer { unanswered = [] }
        return unanswered
    }

    public init(index: FactIndex, rules: RuleBook, moderator: Moderator = Moderator()) {
        self.index = index
        self.rules = rules
        self.moderator = moderator
    }

    enum Topic: String { case price, stock, link, size, general }

    /// Decides on one message; `onScreen` is the product being presented, if any.
    public mutating func decide(_ m: ChatMessage, onScreen: String?) -> Decision {
        let start = ContinuousClock.now
        let text = ChatText(m.text)
        var d = decideUntimed(m, text: text, onScreen: onScreen)
        let e = ContinuousClock.now - start
        d.seconds = e.inSeconds
        return d
    }

    private mutating func decideUntimed(_ m: ChatMessage, text: ChatText, onScreen: String?) -> Decision {
        let lang = text.language
        func decision(_ reply: String?, _ source: Decision.Source, _ detail: String, sku: String?, topic: String, intent: Intent = .answer) -> Decision {
            var r = reply
            var i = intent
            if let t = r, let (tag, rest) = Self.splitTag(t) { i = tag; r = rest }
            return Decision(reply: r, intent: i, source: source, detail: detail, productSKU: sku, language: lang.rawValue, user: m.user,
                            question: m.text, seconds: 0, topic: topic)
        }
        if case .block(let why) = moderator.check(m, text: text) { return decision(nil, .blocked, why, sku: nil, topic: "blocked") }

        let terms = text.terms
        let named = index.productsNamed(in: terms)
        let topic = Self.topic(of: text)
        let asksAboutProduct = topic != .general || !named.isEmpty

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
                let reply = fill(usable[variant % usable.count], user: m.user, product: product, lang: lang)
                return decision(reply, .rule, rule.id, sku: product?.sku, topic: "rule:\(rule.id)", intent: .chat)
            }
        }

        // Which product: one named in the message, else the one on screen.
        let sku = named.first?.sku ?? onScreen
        guard let sku, let product = index.catalog.product(sku: sku) else {
            if asksAboutProduct || topic != .general {
                let names = index.catalog.products.prefix(4).map(\.name)
                let reply = lang == .zh ? "\(m.user)，你问的是哪一款呀？今晚有\(names.joined(separator: "、"))。"
                    : "Which one do you mean, \(m.user)? Tonight we have \(Self.list(names))."
                return decision(reply, .fallback, "no product named or on screen", sku: nil, topic: "which")
            }
            return fallback(m, lang: lang, sku: nil, decision: decision)
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
        // FAQ, specs, highlights of that product, by BM25 over what is left of the question.
        let nameTerms = Set(ChatText.terms(product.name + " " + (product.brand ?? "")))
        let rest = Self.expand(terms.filter { !nameTerms.contains($0) })
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
        return fallback(m, lang: lang, sku: sku, decision: decision)
    }

    private mutating func fallback(_ m: ChatMessage, lang: ChatText.ChatLanguage, sku: String?,
                                   decision: (String?, Decision.Source, String, String?, String, Intent) -> Decision) -> Decision {
        unanswered.append(m)
        let reply = lang == .zh ? "\(m.user)，这个问题我记下了，稍后客服会在评论里回复你。"
            : "Good question, \(m.user)! I'll ask the team, they'll answer in the comments."
        return decision(reply, .fallback, "no rule or fact matched", sku, "fallback", .answer)
    }

    static func minimumScore(_ terms: Int) -> Double { terms <= 1 ? 0.5 : 1.0 }

    /// How viewers ask vs how catalogs write: adds the catalog's word for a few common ones.
    static func expand(_ terms: [String]) -> [String] {
        terms + terms.flatMap { synonyms[$0] ?? [] }
    }

    static let synonyms: [String: [String]] = [
        "made": ["material"], "fabric": ["material"], "wool": ["material"], "ingredient": ["material"],
        "color": ["colour", "颜色"], "colour": ["color", "颜色"], "colors": ["colour", "颜色"],
        "battery": ["battery", "last"], "charge": ["battery"], "long": ["last", "battery"],
        "swim": ["waterproof", "water"], "rain": ["water", "waterproof"], "shower": ["water"],
        "iphone": ["phone"], "android": ["phone"], "big": ["size"], "small": ["size"],
        "warranty": ["warranty"], "guarantee": ["warranty"], "expire": ["shelf"], "expiry": ["shelf"],
        "材质": ["材料", "成分"], "做的": ["材质", "成分"], "续航": ["续航"], "电池": ["续航"], "苹果": ["苹果"], "安卓": ["安卓"],
    ]

    static func topic(of text: ChatText) -> Topic {
        let s = text.normalized
        let words = Set(s.split { !$0.isLetter }.map(String.init))
        if ["多少钱", "价格", "几块", "什么价", "多少米", "贵不贵"].contains(where: s.contains) || s.contains("how much") || words.contains("price")
            || words.contains("cost") || words.contains("costs") || words.contains("pricing") { return .price }
        if ["库存", "还有货", "有货吗", "还剩", "卖完", "剩几", "剩多少"].contains(where: s.contains) || s.contains("in stock") || s.contains("sold out")
            || words.contains("left") || words.contains("remaining") || words.contains("stock") { return .stock }
        if ["链接", "几号", "怎么买"].contains(where: s.contains) || words.contains("link") || s.contains("which number")
            || s.contains("where to buy") || s.contains("how to buy") { return .link }
        if ["尺码", "什么码", "多大码"].contains(where: s.contains) || words.contains("size") || words.contains("sizes") || words.contains("fit") { return .size }
        return .general
    }

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
