import Foundation

/// Words and phrases never answered, spoken or drawn, in messages and in user names. Chinese
/// terms and terms ending in `*` match anywhere in the squeezed text (spaces, punctuation and
/// look-alikes removed: 傻 逼, b1tch, sh!t); other terms match whole words or phrases (plural
/// too), so `sb` blocks "sb" but not "usb", and `dumb` not "dumbbell". Single letters in a row
/// are read as one word (f u c k).
public struct BlockList: Sendable {
    enum Match: Sendable {
        case anywhere(String)
        case words([String])
    }

    let terms: [(written: String, match: Match)]

    public init(_ written: [String]) {
        terms = written.compactMap { w in
            let raw = w.trimmingCharacters(in: .whitespaces)
            let wildcard = raw.hasSuffix("*")
            let text = ChatText(wildcard ? String(raw.dropLast()) : raw)
            guard !text.squeezed.isEmpty else { return nil }
            if wildcard || text.normalized.unicodeScalars.contains(where: ChatText.isHan) { return (raw, .anywhere(text.squeezed)) }
            let words = Self.words(text.normalized)
            return words.isEmpty ? nil : (raw, .words(words))
        }
    }

    public var isEmpty: Bool { terms.isEmpty }

    /// Reads block list files: one term a line; `#` starts a comment.
    public static func read(file path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline)
            .map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "" }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The first term found in the text, as the seller wrote it; terms in `except` are skipped.
    public func match(_ text: ChatText, except: Set<String> = []) -> String? {
        var words: [String]?
        for t in terms where !except.contains(t.written) {
            switch t.match {
            case .anywhere(let s):
                if text.squeezed.contains(s) { return t.written }
            case .words(let phrase):
                if words == nil { words = Self.words(text.normalized) + Self.lettersOnly(text.normalized) }
                if Self.contains(words ?? [], phrase) { return t.written }
            }
        }
        return nil
    }

    /// Latin words with look-alikes read as letters; a run of single letters is one word.
    static func words(_ normalized: String) -> [String] {
        var out: [String] = [], word = String.UnicodeScalarView(), singles = ""
        func flush() {
            guard !word.isEmpty else { return }
            let w = String(word)
            word.removeAll()
            if w.count == 1 { singles += w; return }
            if !singles.isEmpty { out.append(spelled + singles); singles = "" }
            out.append(w)
        }
        let scalars = Array(normalized.unicodeScalars)
        func isAlnum(_ s: Unicode.Scalar) -> Bool { s.isASCII && (s.properties.isAlphabetic || s.properties.numericType != nil) }
        for (i, s) in scalars.enumerated() {
            // A look-alike symbol counts inside a word (sh!t, @ss), not after it ("stupid!").
            let symbolInWord = ChatText.lookalikes[s] != nil && !isAlnum(s) && i + 1 < scalars.count && isAlnum(scalars[i + 1])
            if isAlnum(s) || symbolInWord {
                word.append(ChatText.lookalikes[s] ?? s)
            } else {
                flush()
            }
        }
        flush()
        if !singles.isEmpty { out.append(spelled + singles) }
        return out
    }

    /// Marks a word read from single letters ("t h i s i s a s c a m"): a term may be found
    /// inside it, as the spaces no longer tell where words end.
    static let spelled = "\u{1}"

    /// The words when digits only separate them ("dumbass99" → "dumbass"), beside the
    /// look-alike reading that "b1tch" needs.
    static func lettersOnly(_ normalized: String) -> [String] {
        normalized.split { !($0.isASCII && $0.isLetter) }.map(String.init).filter { $0.count > 1 }
    }

    static func contains(_ words: [String], _ phrase: [String]) -> Bool {
        guard !phrase.isEmpty, words.count >= phrase.count else { return false }
        for start in 0...(words.count - phrase.count) {
            var ok = true
            for (i, p) in phrase.enumerated() {
                let w = words[start + i]
                let last = i == phrase.count - 1
                let inSpelled = phrase.count == 1 && w.hasPrefix(spelled) && w.contains(p)
                if !(w == p || inSpelled || w == spelled + p || (last && (w == p + "s" || w == p + "es"))) { ok = false; break }
            }
            if ok { return true }
        }
        return false
    }
}
