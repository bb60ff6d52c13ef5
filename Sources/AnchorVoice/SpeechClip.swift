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

    /// The viseme shown at a sample.
    public func viseme(at sample: Int) -> Viseme { timeline.viseme(at: sample) }
}
