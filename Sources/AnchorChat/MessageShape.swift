import Foundation

/// What kind of message it is, before anything is looked up: a reaction (engagement to count,
/// not to answer) or a question (the only thing a fallback may answer).
enum MessageShape {
    /// Emoji, 666, 1111, 扣1, lol, 哈哈哈, +1, wow…: a viewer cheering, not asking.
    static func isReaction(_ t: ChatText) -> Bool {
        // Letters and digits only (emoji, symbols and punctuation dropped).
        let core = String(String.UnicodeScalarView(t.normalized.unicodeScalars.filter {
            $0.properties.isAlphabetic || $0.properties.numericType != nil
        }))
        if core.isEmpty { return true }
        if core.allSatisfy(\.isNumber) { return core.count <= 6 } // 666, 1111, 888, 2333 (not a phone number)
        if reactions.contains(core) { return true }
        if let first = core.first, repeatable.contains(first), core.allSatisfy({ $0 == first }) { return true } // 哈哈哈, hhhh
        if core.hasPrefix("扣"), core.count <= 4, core.dropFirst().allSatisfy(\.isNumber) { return true } // 扣1, 扣111
        let laugh = core.replacingOccurrences(of: "ha", with: "").replacingOccurrences(of: "he", with: "")
        return laugh.isEmpty && core.count >= 4 // hahaha, hehe
    }

    static let reactions: Set<String> = [
        "lol", "lmao", "rofl", "omg", "wow", "woww", "nice", "cool", "gg", "yay", "yes", "yess", "ok", "okay", "love", "loveit",
        "amazing", "awesome", "great", "wowww", "hehe", "haha", "xd", "yyds", "牛", "牛牛", "太牛了", "赞", "点赞", "好看", "好美",
        "来了", "冲", "冲冲冲", "好", "棒", "顶", "支持", "打call", "爱了", "绝了", "可以", "好好看", "哇", "哇塞", "嗯", "嗯嗯",
    ]
    static let repeatable: Set<Character> = ["哈", "嘿", "呵", "嘻", "h", "w", "6", "1", "8", "哇", "啊"]

    /// A real question: a question mark, a question word, or a commerce question without one
    /// ("price", "how much", 多少钱, 有货吗).
    static func isQuestion(_ t: ChatText) -> Bool {
        let s = t.normalized
        if s.contains("?") || s.contains("？") { return true }
        if questionMarkers.contains(where: s.contains) { return true }
        // A-not-A: 会不会, 是不是, 有没有, 好不好, 掉不掉.
        if s.range(of: #"(\p{Han})[不没]\1"#, options: .regularExpression) != nil { return true }
        let list = s.split { !$0.isLetter && $0 != "'" }.map(String.init)
        if let first = list.first, openers.contains(first) { return true }
        return !Set(list).isDisjoint(with: questionWords)
    }

    /// Words that make a question when they open the message ("is it vegan", "do you ship").
    static let openers: Set<String> = ["is", "are", "do", "does", "can", "could", "will", "would", "should", "did", "has", "have", "any"]

    static let questionMarkers = ["吗", "嘛", "呢", "多少", "几", "怎么", "什么", "哪", "有没有", "能不能", "可不可以", "是不是", "咋", "啥", "如何", "为什么", "请问",
                                  "多久", "多长", "多大", "多重", "多高", "多厚", "还是"]
    static let questionWords: Set<String> = [
        "how", "what", "what's", "whats", "when", "where", "which", "why", "who", "anyone", "price", "cost", "much", "many",
        "size", "sizes", "ship", "shipping", "available",
        "stock", "link", "hw", "wat", "wut", "duoshao", "ma",
    ]
}
