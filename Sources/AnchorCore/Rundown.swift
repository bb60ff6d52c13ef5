/// A compiled show: what will be said and shown, in order. The Director plays it.
public struct Rundown: Sendable, Hashable, Codable {
    public var title: String
    public var language: Language
    public var voice: String
    public var avatar: String
    public var loop: Bool
    public var seed: UInt64
    public var products: [String]
    public var segments: [Segment]
    /// A music file played under the voice, looped and ducked while anyone speaks.
    public var music: String?

    public init(title: String, language: Language, voice: String, avatar: String, loop: Bool, seed: UInt64, products: [String], segments: [Segment]) {
        self.title = title; self.language = language; self.voice = voice; self.avatar = avatar
        self.loop = loop; self.seed = seed; self.products = products; self.segments = segments
    }

    /// A `#` heading, once per product for `@each product`: a chapter in recordings.
    public struct Segment: Sendable, Hashable, Codable {
        public var title: String
        public var productSKU: String?
        public var source: SourceLocation
        public var events: [Event]

        public init(title: String, productSKU: String?, source: SourceLocation, events: [Event]) {
            self.title = title; self.productSKU = productSKU; self.source = source; self.events = events
        }

        public var utterances: [Utterance] {
            events.compactMap { if case .say(let u) = $0 { return u } else { return nil } }
        }
    }

    public enum Event: Sendable, Hashable {
        case say(Utterance)
        case cue(Cue, source: SourceLocation)
    }

    public var utterances: [Utterance] { segments.flatMap(\.utterances) }
}

extension Rundown.Event: Codable {
    private enum Key: String, CodingKey { case say, cue, source }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .say(let u): try c.encode(u, forKey: .say)
        case .cue(let cue, let source):
            try c.encode(cue, forKey: .cue)
            try c.encode(source, forKey: .source)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        if let u = try c.decodeIfPresent(Utterance.self, forKey: .say) {
            self = .say(u)
        } else {
            self = .cue(try c.decode(Cue.self, forKey: .cue), source: try c.decode(SourceLocation.self, forKey: .source))
        }
    }
}
