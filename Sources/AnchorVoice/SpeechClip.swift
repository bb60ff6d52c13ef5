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
    public func viseme(at sample: Int) -> Viseme {
        timeline.visemes.last { $0.start <= sample && sample < $0.end }?.viseme ?? .rest
    }
}

/// What happens when in a clip. Ranges index the utterance text in Unicode scalars;
/// `start`/`end` are sample positions at 48 kHz (`end` exclusive).
public struct SpeechTimeline: Sendable, Codable, Hashable {
    public struct Word: Sendable, Codable, Hashable {
        public var text: String
        public var range: TextSpan
        public var start: Int
        public var end: Int
    }

    public struct Phoneme: Sendable, Codable, Hashable {
        public var symbol: String
        public var start: Int
        public var end: Int
    }

    public struct VisemeSpan: Sendable, Codable, Hashable {
        public var viseme: Viseme
        public var start: Int
        public var end: Int
    }

    public struct Stress: Sendable, Codable, Hashable {
        public var range: TextSpan
        public var start: Int
        public var end: Int
    }

    public struct Pause: Sendable, Codable, Hashable {
        /// Where in the text the pause is (before the scalar at this offset).
        public var offset: Int
        public var milliseconds: Int
        public var start: Int
        public var end: Int
    }

    public struct TimedCue: Sendable, Codable, Hashable {
        public var cue: Cue
        public var offset: Int
        public var at: Int
    }

    public var text: String
    public var intent: Intent
    public var voice: String
    public var sampleRate = SpeechClip.sampleRate
    public var words: [Word] = []
    public var phonemes: [Phoneme] = []
    public var visemes: [VisemeSpan] = []
    public var stress: [Stress] = []
    public var pauses: [Pause] = []
    public var cues: [TimedCue] = []
    /// Total length in samples (equals the clip's sample count).
    public var length = 0
    /// False when synthesis was cancelled; `stoppedAt` is where the text was cut.
    public var isComplete = true
    public var stoppedAt: Int?

    var textLength: Int { text.unicodeScalars.count }
}
