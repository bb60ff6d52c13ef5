import AnchorCore

/// Everything one frame shows, derived from the performance at one instant.
public struct SceneState: Sendable, Equatable {
    /// Mouth shapes with weights (a blend of the previous and current viseme).
    public var mouth: [(Viseme, Double)]
    /// 0…1: how far the jaw opens (follows loudness).
    public var jaw: Double
    public var eyes: String
    public var browOffset: Double
    /// Offsets in canvas units.
    public var bodyY: Double
    public var headX: Double
    public var headY: Double
    /// Arm slot → (pose, weight 0…1, swing degrees).
    public var arms: [String: ArmState]
    public var intent: Intent?
    public var card: ProductCard?
    public var cardMode: CardMode
    /// 0…1 pulse while a price is spoken.
    public var priceFlash: Double
    public var countdown: Int?
    /// 0…1 visibility of the "link is up" banner.
    public var linkBanner: Double
    public var subtitle: Subtitle?
    public var bubble: ChatBubble?
    /// 0…1: how far the bubble has popped in (it grows in over a quarter second).
    public var bubbleIn = 1.0
    /// A lucky draw taking entries.
    public var draw: DrawPanel?
    /// A clip or picture playing (`@play`).
    public var clip: ClipShot?
    /// Before a scheduled show: when it starts and the seconds left.
    public var warmup: Warmup?
    /// The show's language: the words the overlays add ("Link is up", "#2") follow it, so a
    /// schedule that switches to a show in another language switches them too.
    public var language: Language

    public struct ArmState: Sendable, Equatable {
        public var pose: String
        public var weight: Double
        public var swing: Double
    }

    public struct Warmup: Sendable, Equatable {
        public var startsAt: String
        public var secondsLeft: Int
    }

    /// Which picture of a played file shows, and where.
    public struct ClipShot: Sendable, Equatable {
        public var file: String
        public var placement: PlayCue.Placement
        /// Milliseconds into the file.
        public var milliseconds: Int
    }

    public struct DrawPanel: Sendable, Equatable {
        public var keyword: String
        public var secondsLeft: Int
        public var entrants: Int
    }

    public struct Subtitle: Sendable, Equatable {
        public var text: String
        /// The word being spoken, in Unicode scalars of `text`.
        public var highlight: TextSpan?
    }

    public static func == (a: SceneState, b: SceneState) -> Bool {
        a.mouth.map(\.0) == b.mouth.map(\.0) && a.mouth.map(\.1) == b.mouth.map(\.1) && a.jaw == b.jaw && a.eyes == b.eyes
            && a.browOffset == b.browOffset && a.bodyY == b.bodyY && a.headX == b.headX && a.headY == b.headY && a.arms == b.arms
            && a.intent == b.intent && a.card == b.card && a.cardMode == b.cardMode && a.priceFlash == b.priceFlash
            && a.countdown == b.countdown && a.linkBanner == b.linkBanner && a.subtitle == b.subtitle && a.bubble == b.bubble && a.bubbleIn == b.bubbleIn && a.draw == b.draw && a.clip == b.clip && a.warmup == b.warmup
            && a.language == b.language
    }
}
