import AnchorCore

/// Assembles a spoken line from inline pieces: collapses white space, records stress spans,
/// cue offsets, and the clause ends where a Chinese modal particle may go.
struct TextBuilder {
    private(set) var scalars: [Unicode.Scalar] = []
    private(set) var stress: [TextSpan] = []
    private(set) var cues: [InlineCue] = []
    private(set) var particleSlots: [Int] = []
    /// Whether each scalar came from the author's own words (not a catalog value).
    private var literal: [Bool] = []

    var count: Int { scalars.count }

    mutating func appendLiteral(_ s: String) { append(s, literal: true) }
    mutating func appendValue(_ s: String) { append(s, literal: false) }

    private mutating func append(_ s: String, literal isLiteral: Bool) {
        for var c in s.unicodeScalars {
            if c == "\t" || c == "\n" || c == "\r" || c == "\u{A0}" { c = " " }
            if c.value < 0x20 || c.value == 0x7F { continue }
            if c == " " && (scalars.isEmpty || scalars.last == " ") { continue }
            if isLiteral, ModalParticles.clauseEnds.contains(c), particleSlotAllowed() { particleSlots.append(scalars.count) }
            scalars.append(c)
            literal.append(isLiteral)
        }
    }

    /// After a Han character of the author's own words that is not already a particle.
    private func particleSlotAllowed() -> Bool {
        guard let last = scalars.last, let fromAuthor = literal.last, fromAuthor else { return false }
        return Language.isHan(last) && !ModalParticles.all.contains(last)
    }

    /// Where a stress span starts; `endStress` trims the spaces at its edges.
    var stressStart: Int { scalars.count }

    mutating func endStress(from start: Int) {
        var end = scalars.count
        if end > start, scalars[end - 1] == " " { end -= 1 }
        var s = start
        if s < end, scalars[s] == " " { s += 1 }
        if end > s { stress.append(TextSpan(start: s, length: end - s)) }
    }

    mutating func cue(_ cue: Cue) { cues.append(InlineCue(offset: scalars.count, cue: cue)) }

    /// The text with trailing space removed; spans and cues clamped to it.
    mutating func finish() -> String {
        while scalars.last == " " { scalars.removeLast(); literal.removeLast() }
        if particleSlotAllowed() { particleSlots.append(scalars.count) }
        let n = scalars.count
        stress = stress.compactMap { span in
            let end = min(span.end, n)
            return end > span.start ? TextSpan(start: span.start, length: end - span.start) : nil
        }
        for i in cues.indices { cues[i].offset = min(cues[i].offset, n) }
        particleSlots = particleSlots.filter { $0 <= n }
        return String(String.UnicodeScalarView(scalars))
    }
}
