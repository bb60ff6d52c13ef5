import AnchorCore

/// Splits an utterance into pieces synthesized one at a time: at `{pause}` cues (whose silence
/// is inserted exactly, to the sample) and at sentence ends. Pieces are where synthesis can be
/// cancelled between, and they keep any one call to espeak-ng short.
enum SpeechPlanner {
    struct Piece: Equatable {
        var range: Range<Int>
        /// Silence after the piece, in milliseconds.
        var pauseAfter: Int
        /// Whether that silence is an explicit `{pause}` (a timeline pause mark).
        var explicitPause: Bool
    }

    static let sentenceEnds: Set<Unicode.Scalar> = [".", "!", "?", "。", "！", "？", "…", ";", "；"]
    /// A piece longer than this is split at a comma or a space.
    static let maxPiece = 300

    static func pieces(_ u: Utterance, prosody: Prosody) -> [Piece] {
        let s = Array(u.text.unicodeScalars)
        var pauses: [Int: Int] = [:]
        for cue in u.cues { if case .pause(let ms) = cue.cue { pauses[cue.offset, default: 0] += ms } }
        var out: [Piece] = []
        var start = 0
        func cut(_ end: Int) {
            guard end > start || pauses[end] != nil else { return }
            if let ms = pauses[end] {
                out.append(Piece(range: start..<end, pauseAfter: ms, explicitPause: true))
            } else if end > start {
                out.append(Piece(range: start..<end, pauseAfter: end < s.count ? prosody.sentencePause : 0, explicitPause: false))
            }
            start = end
        }
        var i = 0
        while i <= s.count {
            if pauses[i] != nil, i > start || (i == start && !out.contains { $0.range.upperBound == i && $0.explicitPause }) {
                cut(i)
            }
            guard i < s.count else { break }
            if sentenceEnds.contains(s[i]) {
                var j = i + 1
                while j < s.count, sentenceEnds.contains(s[j]) || s[j] == "\"" || s[j] == "”" || s[j] == "）" || s[j] == ")" { j += 1 }
                let atBoundary = j == s.count || s[j] == " " || !s[i].isASCII
                if atBoundary, pauses[j] == nil { cut(j); i = j; continue }
            }
            if i - start >= maxPiece {
                // Prefer the last comma, then the last space, in the window.
                let window = start..<i
                let comma = window.reversed().first { "，,、".unicodeScalars.contains(s[$0]) }
                let space = window.reversed().first { s[$0] == " " }
                cut((comma ?? space ?? i - 1) + 1)
            }
            i += 1
        }
        if start < s.count { cut(s.count) }
        return out
    }
}
