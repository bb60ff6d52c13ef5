/// A range of an utterance's text, in Unicode scalars from its start (espeak-ng counts the same way).
public struct TextSpan: Sendable, Hashable, Codable {
    public var start: Int
    public var length: Int
    public init(start: Int, length: Int) { self.start = start; self.length = length }
    public var end: Int { start + length }
}

/// A cue placed inside an utterance, before the scalar at `offset`.
public struct InlineCue: Sendable, Hashable, Codable {
    public var offset: Int
    public var cue: Cue
    public init(offset: Int, cue: Cue) { self.offset = offset; self.cue = cue }
}

/// One line to be spoken: the unit the voice synthesizes and the avatar performs.
public struct Utterance: Sendable, Hashable, Codable {
    public var text: String
    public var language: Language
    public var intent: Intent
    public var reason: IntentReason
    /// `*stressed*` words: louder and higher, with a gesture landing on them.
    public var stress: [TextSpan]
    public var cues: [InlineCue]
    /// Modal particles (啦, 哦, 呢…) the compiler added, so tools can show or strip them.
    public var particles: [TextSpan]
    public var productSKU: String?
    public var source: SourceLocation?

    public init(
        text: String, language: Language, intent: Intent, reason: IntentReason,
        stress: [TextSpan] = [], cues: [InlineCue] = [], particles: [TextSpan] = [],
        productSKU: String? = nil, source: SourceLocation? = nil
    ) {
        self.text = text; self.language = language; self.intent = intent; self.reason = reason
        self.stress = stress; self.cues = cues; self.particles = particles
        self.productSKU = productSKU; self.source = source
    }

    /// The text of a span, clamped to the utterance.
    public func substring(_ span: TextSpan) -> String {
        let scalars = Array(text.unicodeScalars)
        let lo = min(max(0, span.start), scalars.count), hi = min(max(lo, span.end), scalars.count)
        return String(String.UnicodeScalarView(scalars[lo..<hi]))
    }
}

extension Utterance {
    /// Punctuation a resumed line does not start with.
    static let leadingPunctuation: Set<Unicode.Scalar> = [",", ".", ";", ":", "!", "?", "，", "。", "、", "；", "：", "！", "？", "…", "-", "—"]

    /// The rest of the line from a text offset (where a barge-in stopped it), with stress, cues
    /// and particles shifted to match; leading spaces and punctuation are dropped.
    public func remainder(from offset: Int) -> Utterance {
        let scalars = Array(text.unicodeScalars)
        var start = min(max(0, offset), scalars.count)
        while start < scalars.count, scalars[start].properties.isWhitespace || Self.leadingPunctuation.contains(scalars[start]) { start += 1 }
        func shift(_ spans: [TextSpan]) -> [TextSpan] {
            spans.compactMap { s in
                let lo = max(s.start, start), hi = s.end
                return hi > lo ? TextSpan(start: lo - start, length: hi - lo) : nil
            }
        }
        var rest = self
        rest.text = String(String.UnicodeScalarView(scalars[start...]))
        rest.stress = shift(stress)
        rest.particles = shift(particles)
        rest.cues = cues.filter { $0.offset >= start }.map { InlineCue(offset: $0.offset - start, cue: $0.cue) }
        return rest
    }
}
