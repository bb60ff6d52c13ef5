import AnchorCore

/// One piece of an utterance as espeak-ng will read it: SSML text, and for each of its
/// characters the range of the utterance it came from (nil for markup), so word events
/// map back to the author's text exactly.
struct SpeechText {
    var ssml = ""
    var origin: [Range<Int>?] = []
    /// Whether anything speakable is in it.
    var isSpeakable = false

    /// Builds the SSML for `range` of the utterance: numbers and prices read the way a host
    /// says them, stress and price lifts as prosody, everything else escaped so that viewer or
    /// author text is never taken as markup.
    init(_ u: Utterance, range: Range<Int>) {
        let scalars = Array(u.text.unicodeScalars)
        let replacements = TextNormalizer.replacements(in: scalars, range: range, language: u.language)
        var lifts = u.intent == .price ? replacements.filter(\.isAmount).map(\.range) : []
        lifts.removeAll { lift in u.stress.contains { $0.start < lift.upperBound && lift.lowerBound < $0.end } }
        let opens = Dictionary(u.stress.map { ($0.start, Prosody.stressMarkup) } + lifts.map { ($0.lowerBound, Prosody.priceLiftMarkup) },
                               uniquingKeysWith: { a, _ in a })
        let closes = Set(u.stress.map(\.end) + lifts.map(\.upperBound))
        var open = 0

        emit("<speak>", from: nil)
        var i = range.lowerBound
        var replacementIndex = 0
        while i < range.upperBound {
            if closes.contains(i), open > 0 { emit("</prosody>", from: nil); open -= 1 }
            if let tag = opens[i] { emit(tag, from: nil); open += 1 }
            while replacementIndex < replacements.count, replacements[replacementIndex].range.upperBound <= i { replacementIndex += 1 }
            if replacementIndex < replacements.count, replacements[replacementIndex].range.lowerBound == i {
                let r = replacements[replacementIndex]
                emit(r.spoken, from: r.range)
                isSpeakable = true
                i = r.range.upperBound
                continue
            }
            let s = scalars[i]
            switch TextNormalizer.classify(s) {
            case .drop: break
            case .space: emit(" ", from: i..<(i + 1))
            case .keep:
                switch s {
                case "<": emit("&lt;", from: i..<(i + 1))
                case ">": emit("&gt;", from: i..<(i + 1))
                case "&": emit("&amp;", from: i..<(i + 1))
                default: emit(String(s), from: i..<(i + 1))
                }
                if s.properties.isAlphabetic || s.properties.numericType != nil { isSpeakable = true }
            }
            i += 1
        }
        while open > 0 { emit("</prosody>", from: nil); open -= 1 }
        emit("</speak>", from: nil)
    }

    private mutating func emit(_ text: String, from source: Range<Int>?) {
        ssml += text
        origin.append(contentsOf: repeatElement(source, count: text.unicodeScalars.count))
    }

    /// The utterance range of espeak's (1-based) character position and length.
    func sourceRange(position: Int, length: Int) -> Range<Int>? {
        let lo = position - 1, hi = min(origin.count, lo + max(1, length))
        guard lo >= 0, lo < hi else { return nil }
        let ranges = origin[lo..<hi].compactMap { $0 }
        guard let first = ranges.first else { return nil }
        return ranges.reduce(first) { min($0.lowerBound, $1.lowerBound)..<max($0.upperBound, $1.upperBound) }
    }
}
