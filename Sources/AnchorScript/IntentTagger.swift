import AnchorCore

/// Tags untagged lines with an intent, and says why. Evidence is scored per intent; the
/// strongest wins, ties go to the more specific intent.
public struct IntentTagger: Sendable {
    /// What the compiler knows about a line besides its words.
    public struct Context: Sendable {
        public var variables: Set<String> = []
        public var hasCountdown = false
        public var inProductSegment = false
        public init(variables: Set<String> = [], hasCountdown: Bool = false, inProductSegment: Bool = false) {
            self.variables = variables; self.hasCountdown = hasCountdown; self.inProductSegment = inProductSegment
        }
    }

    private struct Rule {
        let intent: Intent
        let words: [String]
        let weight: Double
        let label: String
    }

    /// Ties are broken by this order: the more specific intent first.
    static let priority: [Intent] = [.thanks, .greet, .urgency, .price, .cta, .introduce, .transition, .answer, .feature, .calm, .chat]

    private static let english: [Rule] = [
        Rule(intent: .greet, words: ["hi", "hello", "hey", "welcome", "good evening", "good night", "good morning", "greetings", "howdy"], weight: 3, label: "greeting"),
        Rule(intent: .thanks, words: ["thank you", "thanks", "thank", "appreciate", "grateful"], weight: 3.5, label: "thanks"),
        Rule(intent: .price, words: ["price", "priced", "discount", "down from", "off", "save", "deal", "cheaper", "only costs", "half price", "coupon", "bargain"], weight: 1.5, label: "price word"),
        Rule(intent: .urgency, words: ["hurry", "last chance", "limited", "running out", "selling fast", "ends soon", "ends tonight", "don't miss", "dont miss", "before it's gone", "while stocks last", "few left", "right now", "quick", "now or never", "only a few", "almost gone", "last one", "tonight only"], weight: 2.5, label: "urgency word"),
        Rule(intent: .cta, words: ["tap", "click", "add to cart", "cart", "link", "buy", "order", "grab yours", "grab one", "check out", "checkout", "item number", "shop now", "get yours", "pick one up"], weight: 2, label: "call to action"),
        Rule(intent: .introduce, words: ["this is", "meet", "introducing", "let me show", "let me introduce", "here is", "here's", "say hello to", "next up is", "check this out", "presenting"], weight: 2.5, label: "introduction"),
        Rule(intent: .feature, words: ["features", "made with", "made of", "made from", "designed", "keeps", "lasts", "comes with", "uses", "works", "feels", "material", "waterproof", "hours", "battery", "fits", "formula", "ingredients", "texture"], weight: 1.5, label: "feature word"),
        Rule(intent: .transition, words: ["next", "moving on", "coming up", "after this", "let's look", "let's move", "now let's", "that's all for", "up next"], weight: 2, label: "transition"),
        Rule(intent: .calm, words: ["relax", "take your time", "no rush", "slowly", "breathe", "cozy", "comfy", "unwind", "calm", "gently", "sleep well", "sweet dreams", "tea"], weight: 2, label: "calm word"),
        Rule(intent: .answer, words: ["you asked", "good question", "great question", "to answer"], weight: 3, label: "answer phrase"),
    ]

    private static let chinese: [Rule] = [
        Rule(intent: .greet, words: ["欢迎", "大家好", "晚上好", "早上好", "下午好", "哈喽", "你好", "家人们好", "宝宝们好"], weight: 3, label: "greeting"),
        Rule(intent: .thanks, words: ["谢谢", "感谢", "多谢", "辛苦了"], weight: 3.5, label: "thanks"),
        Rule(intent: .price, words: ["价格", "价钱", "原价", "到手价", "折", "优惠", "便宜", "只要", "立减", "划算", "券", "省"], weight: 1.5, label: "price word"),
        Rule(intent: .urgency, words: ["抢", "限时", "限量", "最后", "倒计时", "秒杀", "手慢无", "马上", "赶紧", "赶快", "只剩", "售完", "错过", "抓紧", "就没了"], weight: 2.5, label: "urgency word"),
        Rule(intent: .cta, words: ["下单", "拍下", "链接", "购物车", "点击", "加购", "小黄车", "号链接", "上车", "去拍", "买"], weight: 2, label: "call to action"),
        Rule(intent: .introduce, words: ["这款", "介绍", "给大家带来", "来看", "这是", "今天带来", "隆重"], weight: 2.5, label: "introduction"),
        Rule(intent: .feature, words: ["成分", "补水", "保湿", "材质", "功能", "续航", "防水", "适合", "效果", "质地", "添加", "含有", "小时", "舒缓", "修护"], weight: 1.5, label: "feature word"),
        Rule(intent: .transition, words: ["接下来", "下一款", "下面", "然后我们", "再来看", "好了"], weight: 2, label: "transition"),
        Rule(intent: .calm, words: ["慢慢", "放松", "不着急", "别着急", "安心", "舒服", "晚安", "休息", "喝杯茶"], weight: 2, label: "calm word"),
        Rule(intent: .answer, words: ["问到", "问的", "回答"], weight: 3, label: "answer phrase"),
    ]

    public init() {}

    public func tag(_ text: String, language: Language, context: Context = Context()) -> (Intent, IntentReason) {
        var scores: [Intent: Double] = [:]
        var evidence: [Intent: [String]] = [:]
        func add(_ intent: Intent, _ weight: Double, _ why: String) {
            scores[intent, default: 0] += weight
            if evidence[intent, default: []].count < 3 { evidence[intent, default: []].append(why) }
        }
        let lower = text.lowercased()
        let rules = language == .zh ? Self.chinese : Self.english
        // Chinese shows often mix in English words ("link", "OK"), and English shows name Chinese products.
        for rule in rules + (language == .zh ? Self.english.filter { $0.intent == .cta } : []) {
            for word in rule.words where Self.contains(lower, word) {
                let atStart = lower.hasPrefix(word)
                add(rule.intent, rule.weight + (atStart && (rule.intent == .greet || rule.intent == .introduce) ? 1 : 0), "\"\(word)\" (\(rule.label))")
            }
        }
        if let amount = Self.moneyMention(lower) { add(.price, 3, "\"\(amount)\" is an amount") }
        if let percent = Self.percentMention(lower) { add(.price, 2, "\"\(percent)\" is a discount") }
        if context.variables.contains("product.price") || context.variables.contains("product.list_price") || context.variables.contains("product.discount") {
            add(.price, 1, "reads a price from the catalog")
        }
        if context.variables.contains("product.name") { add(.introduce, 1, "names the product") }
        if context.variables.contains(where: { $0.hasPrefix("product.highlight") || $0.hasPrefix("product.specs") }) {
            add(.feature, 2, "reads a product highlight or spec")
        }
        if context.variables.contains("product.slot") { add(.cta, 1.5, "reads the cart slot") }
        if context.variables.contains("product.stock") { add(.urgency, 1.5, "reads the stock") }
        if context.hasCountdown { add(.urgency, 3, "has a countdown") }
        let trimmed = lower.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("?") || trimmed.hasSuffix("？") || trimmed.hasSuffix("吗") {
            add(.chat, 1.5, "asks a question")
        }

        let best = Self.priority.max { a, b in
            let sa = scores[a] ?? 0, sb = scores[b] ?? 0
            if sa != sb { return sa < sb }
            // Equal scores: the earlier intent in `priority` wins, so it must compare as larger.
            return Self.priority.firstIndex(of: a)! > Self.priority.firstIndex(of: b)!
        }
        if let best, let score = scores[best], score > 0 {
            return (best, IntentReason(.auto, evidence[best, default: []].joined(separator: ", ")))
        }
        if context.inProductSegment {
            return (.feature, IntentReason(.fallback, "no cue words; a line about the product"))
        }
        return (.chat, IntentReason(.fallback, "no cue words; small talk"))
    }

    /// Word match for Latin text (`off` must not match `coffee`); substring match for Chinese.
    static func contains(_ text: String, _ word: String) -> Bool {
        guard let first = word.unicodeScalars.first else { return false }
        if Language.isHan(first) { return text.contains(word) }
        var search = text[...]
        while let r = search.range(of: word) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            if !(before?.isLetter ?? false) && !(after?.isLetter ?? false) { return true }
            search = text[r.upperBound...]
        }
        return false
    }

    /// `$29.90`, `¥59`, `59元`, `18 dollars`, `30块`.
    static func moneyMention(_ text: String) -> String? {
        let s = Array(text)
        let symbols: Set<Character> = ["$", "¥", "￥", "€", "£"]
        for i in s.indices {
            if symbols.contains(s[i]), i + 1 < s.count, s[i + 1].isNumber {
                var j = i + 1
                while j < s.count, s[j].isNumber || s[j] == "." || s[j] == "," { j += 1 }
                return String(s[i..<j])
            }
            if s[i].isNumber, i == 0 || !s[i - 1].isNumber && s[i - 1] != "." {
                var j = i
                while j < s.count, s[j].isNumber || s[j] == "." { j += 1 }
                let rest = String(s[j...]).trimmingCharacters(in: .whitespaces)
                for unit in ["元", "块", "美元", "dollars", "dollar", "bucks", "yuan", "euros", "pounds"] where rest.hasPrefix(unit) {
                    return String(s[i..<j]) + (unit.first!.isLetter && !Language.isHan(unit.unicodeScalars.first!) ? " " : "") + unit
                }
            }
        }
        return nil
    }

    static func percentMention(_ text: String) -> String? {
        let s = Array(text)
        for i in s.indices where s[i] == "%" || s[i] == "％" {
            var j = i
            while j > 0, s[j - 1].isNumber { j -= 1 }
            if j < i { return String(s[j...i]) }
        }
        return nil
    }
}
