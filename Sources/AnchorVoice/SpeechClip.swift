import AnchorCore

/// A synthesized line: 48 kHz mono PCM and its timeline, all in samples.
public struct SpeechClip: Sendable {
    public static let sampleRate = Int(MediaTime.sampleRate)

    public var samples: [Float]
    public var timeline: SpeechTimeline

    public var duration: MediaTime { MediaTime(samples: Int64(samples.count)) }

    /// Where to stop for a barge-in at `sample`: the end of the word being spoken there (or the
    /// next word boundary), and the text offset to resume from.
    public func wordBoundary(atOrAfter sample: Int) -> (sample: Int, textOffset: Int) {
        for word in timeline.words where word.end > sample {
            if word.start >= sample { return (word.start, word.range.start) }
            return (word.end, word.range.end)
        }
        return (samples.count, timeline.textLength)
    }

    /// Where to stop for a barge-in that should not wait long: the word boundary when it comes
    /// within `patience` samples, else the first quiet moment (a gap between the spoken words
    /// of one long token, like "$45" read as "forty-five dollars") with the text offset of
    /// that token's start, so it is said again in full when the line resumes.
    public func cutPoint(atOrAfter sample: Int, patience: Int) -> (sample: Int, textOffset: Int) {
        let boundary = wordBoundary(atOrAfter: sample)
        guard boundary.sample - sample > patience,
              let word = timeline.words.first(where: { $0.start <= sample && sample < $0.end }) else { return boundary }
        let step = SpeechTimeline.envelopeStep
        var i = (sample + step - 1) / step + 1
        while i * step < boundary.sample, i < timeline.envelope.count {
            if timeline.envelope[i] < Self.quiet { return (i * step, word.range.start) }
            i += 1
        }
        return boundary
    }

    /// Loudness (RMS, 0…1) below which a 10 ms step counts as a gap between spoken words.
    static let quiet: Float = 0.02

    /// The viseme shown at a sample.
    public func viseme(at sample: Int) -> Viseme { timeline.viseme(at: sample) }
}
