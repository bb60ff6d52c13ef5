import AnchorCore

/// Everything the avatar and overlays perform over a show, in samples at 48 kHz: spoken lines
/// with their timelines, timed cues, segments (chapters) and product cards. The Director builds it.
public struct Performance: Sendable {
    public struct Line: Sendable {
        public var start: Int
        public var timeline: SpeechTimeline
        public var productSKU: String?
        /// The viewer's name and question while an answer is spoken.
        public var bubble: ChatBubble?

        public init(start: Int, timeline: SpeechTimeline, productSKU: String? = nil, bubble: ChatBubble? = nil) {
            self.start = start; self.timeline = timeline; self.productSKU = productSKU; self.bubble = bubble
        }

        public var end: Int { start + timeline.length }
    }

    public struct Event: Sendable {
        public var at: Int
        public var cue: Cue
        public init(at: Int, cue: Cue) { self.at = at; self.cue = cue }
    }

    public struct Segment: Sendable {
        public var start: Int
        public var title: String
        public var productSKU: String?
        public init(start: Int, title: String, productSKU: String?) { self.start = start; self.title = title; self.productSKU = productSKU }
    }

    public var lines: [Line]
    public var events: [Event]
    public var segments: [Segment]
    public var cards: [String: ProductCard]
    public var length: Int
    public var seed: UInt64
    public var language: Language
    /// When viewers entered lucky draws (samples, in order): the entrant count on screen.
    public var drawEntries: [Int] = []

    public init(lines: [Line], events: [Event], segments: [Segment], cards: [String: ProductCard], length: Int, seed: UInt64, language: Language) {
        self.lines = lines; self.events = events; self.segments = segments; self.cards = cards
        self.length = length; self.seed = seed; self.language = language
    }
}
