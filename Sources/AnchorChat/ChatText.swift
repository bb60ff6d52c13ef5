import Foundation

/// Chat text as the moderator and the responder see it: normalized, its language guessed,
/// and split into search terms that work for English and Chinese alike.
public struct ChatText: Sendable {
    public let original: String
    /// NFKC (full-width → half-width, compatibility forms), lower-cased, whitespace collapsed.
    public let normalized: String
    /// `normalized` with every space and punctuation removed and look-alike digits and
    /// symbols read as letters: what a block list must match against ("f.r.e.e" → "free").
    public let squeezed: String
    public let language: ChatLanguage

    public enum ChatLanguage: String, Sendable { case en, zh }

    public init(_ text: String) {
        original = text
        let nfkc = text.precomposedStringWithCompatibilityMapping.lowercased()
        var scalars = String.UnicodeScalarView()
        var lastSpace = true
        for s in nfkc.unicodeScalars {
            if s.properties.isWhitespace || s.properties.generalCategory == .control || s.properties.generalCategory == .format {
                if !lastSpace { scalars.append(" ") }
                lastSpace = true
            } else {
                scalars.append(s)
                lastSpace = false
            }
        }
        normalized = String(scalars).trimmingCharacters(in: .whitespaces)
        var squeezedScalars = String.UnicodeScalarView()
        for s in normalized.unicodeScalars where !(s.properties.isWhitespace || Self.isPunctuation(s)) {
            squeezedScalars.append(Self.lookalikes[s] ?? s)
        }
        squeezed = String(squeezedScalars)
        let han = normalized.unicodeScalars.filter(Self.isHan).count
        let latin = normalized.unicodeScalars.filter { $0.properties.isAlphabetic && $0.isASCII }.count
        language = han > 0 && han * 2 >= latin / 3 ? .zh : .en
    }

    static let lookalikes: [Unicode.Scalar: Unicode.Scalar] = ["0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"]

    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .modifierSymbol, .otherSymbol:
            return !(s == "@" || s == "$" || s == "!")
        default: return false
        }
    }

    public static func isHan(_ s: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(s.value) || (0x3400...0x4DBF).contains(s.value) || (0x20000...0x2A6DF).contains(s.value)
    }

    /// Search terms: English words (lightly stemmed, stop words dropped) and, for Chinese,
    /// every pair of neighbours, so two-character words like 面膜 match inside longer names.
    /// A lone character is a term only when it stands alone: matching by single characters
    /// made 傻逼主播 find an earbud fact through 主.
    public var terms: [String] { Self.terms(normalized) }

    public static func terms(_ text: String) -> [String] {
        var out: [String] = []
        var word = ""
        var hanRun: [Unicode.Scalar] = []
        func flushWord() {
            if word.count > 1 || word.first?.isNumber == true, !stopWords.contains(word) { out.append(stem(word)) }
            word = ""
        }
        func flushHan() {
            if hanRun.count == 1, let c = hanRun.first, !hanStop.contains(c) { out.append(String(c)) }
            for i in hanRun.indices.dropLast() { out.append(String(hanRun[i]) + String(hanRun[i + 1])) }
            hanRun = []
        }
        for s in text.lowercased().unicodeScalars {
            if isHan(s) { flushWord(); hanRun.append(s) }
            else if s.properties.isAlphabetic || s.properties.numericType != nil { flushHan(); word.unicodeScalars.append(s) }
            else { flushWord(); flushHan() }
        }
        flushWord(); flushHan()
        return out
    }

    static func stem(_ w: String) -> String {
        if w.count > 4, w.hasSuffix("ies") { return String(w.dropLast(3)) + "y" }
        if w.count > 3, w.hasSuffix("es"), w.dropLast(2).hasSuffix("s") || w.dropLast(2).hasSuffix("sh") { return String(w.dropLast(2)) }
        if w.count > 3, w.hasSuffix("s"), !w.hasSuffix("ss"), !w.hasSuffix("us") { return String(w.dropLast()) }
        return w
    }

    static let stopWords: Set<String> = [
        "the", "a", "an", "is", "are", "it", "this", "that", "of", "for", "to", "do", "does", "can", "i", "you", "me", "my",
        "your", "with", "and", "or", "on", "in", "be", "pls", "please", "what", "how", "there", "any", "will", "would",
        "at", "as", "so", "just", "its", "it's", "have", "has", "they", "them", "we", "us", "ok", "okay",
    ]
    static let hanStop: Set<Unicode.Scalar> = ["的", "了", "吗", "呢", "吧", "啊", "是", "我", "你", "有", "能", "么", "什", "在", "这", "那", "个", "多"]
}
