/// What happens when in a clip. Ranges index the utterance text in Unicode scalars;
/// `start`/`end` are sample positions at 48 kHz (`end` exclusive).
public struct SpeechTimeline: Sendable, Codable, Hashable {
    public struct Word: Sendable, Codable, Hashable {
        public var text: String
        public var range: TextSpan
        public var start: Int
        public var end: Int
        public init(text: String, range: TextSpan, start: Int, end: Int) { self.text = text; self.range = range; self.start = start; self.end = end }
    }

    public struct Phoneme: Sendable, Codable, Hashable {
        public var symbol: String
        public var start: Int
        public var end: Int
        public init(symbol: String, start: Int, end: Int) { self.symbol = symbol; self.start = start; self.end = end }
    }

    public struct VisemeSpan: Sendable, Codable, Hashable {
        public var viseme: Viseme
        public var start: Int
        public var end: Int
        public init(viseme: Viseme, start: Int, end: Int) { self.viseme = viseme; self.start = start; self.end = end }
    }

    public struct Stress: Sendable, Codable, Hashable {
        public var range: TextSpan
        public var start: Int
        public var end: Int
        public init(range: TextSpan, start: Int, end: Int) { self.range = range; self.start = start; self.end = end }
    }

    public struct Pause: Sendable, Codable, Hashable {
        /// Where in the text the pause is (before the scalar at this offset).
        public var offset: Int
        public var milliseconds: Int
        public var start: Int
        public var end: Int
        public init(offset: Int, milliseconds: Int, start: Int, end: Int) { self.offset = offset; self.milliseconds = milliseconds; self.start = start; self.end = end }
    }

    public struct TimedCue: Sendable, Codable, Hashable {
        public var cue: Cue
        public var offset: Int
        public var at: Int
        public init(cue: Cue, offset: Int, at: Int) { self.cue = cue; self.offset = offset; self.at = at }
    }

    public var text: String
    public var intent: Intent
    public var voice: String
    public var sampleRate = Int(MediaTime.sampleRate)
    public var words: [Word] = []
    public var phonemes: [Phoneme] = []
    public var visemes: [VisemeSpan] = []
    public var stress: [Stress] = []
    public var pauses: [Pause] = []
    public var cues: [TimedCue] = []
    /// Total length in samples (equals the clip's sample count).
    public var length = 0
    /// Loudness of the clip every 10 ms (RMS, 0…1 where 0.25 is loud speech): the jaw follows it.
    public var envelope: [Float] = []
    public static let envelopeStep = Int(MediaTime.sampleRate) / 100
    /// False when synthesis was cancelled; `stoppedAt` is where the text was cut.
    public var isComplete = true
    public var stoppedAt: Int?

    public init(text: String, intent: Intent, voice: String) {
        self.text = text
        self.intent = intent
        self.voice = voice
    }

    public var textLength: Int { text.unicodeScalars.count }

    /// How open the jaw should be at a sample, 0…1, from the loudness envelope.
    public func jawOpening(at sample: Int) -> Float {
        guard !envelope.isEmpty, sample >= 0 else { return 0 }
        let i = min(envelope.count - 1, sample / Self.envelopeStep)
        return min(1, envelope[i] * 4)
    }

    /// The word being spoken at a sample, if any.
    public func word(at sample: Int) -> Word? {
        words.first { $0.start <= sample && sample < $0.end }
    }

    /// The viseme shown at a sample.
    public func viseme(at sample: Int) -> Viseme {
        visemes.last { $0.start <= sample && sample < $0.end }?.viseme ?? .rest
    }
}
