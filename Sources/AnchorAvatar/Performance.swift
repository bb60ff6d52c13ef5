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

/// A viewer's question beside its answer, a thanks, or a paid message read out.
public struct ChatBubble: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        /// "@name" over the question.
        case question
        /// A heart, who is thanked, and for what ("5 roses").
        case thanks
        /// "@name · $5" in gold over the message.
        case paid
    }
    public var user: String
    public var text: String
    public var style: Style
    public init(user: String, text: String, style: Style = .question) { self.user = user; self.text = text; self.style = style }
}

/// What the product card shows, already formatted for the show's language.
public struct ProductCard: Sendable, Hashable {
    public var sku: String
    public var name: String
    public var price: String
    public var listPrice: String?
    public var slot: Int?
    /// A local image file (PNG, JPEG or WebP), if the catalog has one.
    public var image: String?
    /// The pictures and clips `@show gallery` cycles through (local files: the image first),
    /// and how long each shows (milliseconds; a picture `galleryItemMilliseconds`).
    public var gallery: [String] = []
    public var galleryMilliseconds: [Int] = []
    /// How long a picture of the gallery shows, and at most a clip.
    public static let galleryItemMilliseconds = 4_000
    public static let galleryClipMilliseconds = 15_000

    /// Each item's time on screen (a picture's when not given).
    var galleryDurations: [Int] {
        gallery.indices.map { i in i < galleryMilliseconds.count ? max(500, galleryMilliseconds[i]) : Self.galleryItemMilliseconds }
    }

    public init(sku: String, name: String, price: String, listPrice: String? = nil, slot: Int? = nil, image: String? = nil) {
        self.sku = sku; self.name = name; self.price = price; self.listPrice = listPrice; self.slot = slot; self.image = image
    }
}
