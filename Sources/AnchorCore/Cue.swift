/// How the product card is shown from a point of the show on.
public enum CardMode: String, Sendable, Codable, CaseIterable, Hashable {
    /// The card; `gallery` cycles its picture through the product's images and clips.
    case card, price, none, gallery
}

/// Something that happens on screen or in the timeline besides speech.
public enum Cue: Sendable, Hashable {
    /// Silence, exact to the millisecond.
    case pause(milliseconds: Int)
    /// A 3-2-1 countdown of `n` seconds (fingers and overlay).
    case countdown(Int)
    /// A named gesture of the avatar rig.
    case gesture(String)
    /// `@show card|price|none`.
    case show(CardMode)
    /// `@link`: the product link is pinned (event to chat and webhooks).
    case link(sku: String?)
    /// `@draw "keyword" 60s`: a lucky draw among viewers who type the keyword while it runs.
    case draw(keyword: String, seconds: Int)
    /// `@play FILE …`: a clip or picture.
    case play(PlayCue)
    /// `@music FILE` / `@music off`: the bed from here on (nil: none).
    case music(String?)
    /// Before a scheduled show: it starts at `startsAt` (a clock time as shown), `left`
    /// milliseconds from this cue.
    case warmup(startsAt: String, left: Int)

    public var kind: String {
        switch self {
        case .pause: return "pause"
        case .countdown: return "countdown"
        case .gesture: return "gesture"
        case .show: return "show"
        case .link: return "link"
        case .draw: return "draw"
        case .play: return "play"
        case .warmup: return "warmup"
        case .music: return "music"
        }
    }
}

extension Cue: Codable {
    private enum Key: String, CodingKey { case type, ms, seconds, name, mode, sku, keyword, play, at }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kind, forKey: .type)
        switch self {
        case .pause(let ms): try c.encode(ms, forKey: .ms)
        case .countdown(let n): try c.encode(n, forKey: .seconds)
        case .gesture(let name): try c.encode(name, forKey: .name)
        case .show(let mode): try c.encode(mode, forKey: .mode)
        case .link(let sku): try c.encodeIfPresent(sku, forKey: .sku)
        case .draw(let keyword, let seconds): try c.encode(keyword, forKey: .keyword); try c.encode(seconds, forKey: .seconds)
        case .play(let play): try c.encode(play, forKey: .play)
        case .warmup(let at, let left): try c.encode(at, forKey: .at); try c.encode(left, forKey: .ms)
        case .music(let file): try c.encodeIfPresent(file, forKey: .name)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(String.self, forKey: .type) {
        case "pause": self = .pause(milliseconds: try c.decode(Int.self, forKey: .ms))
        case "countdown": self = .countdown(try c.decode(Int.self, forKey: .seconds))
        case "gesture": self = .gesture(try c.decode(String.self, forKey: .name))
        case "show": self = .show(try c.decode(CardMode.self, forKey: .mode))
        case "link": self = .link(sku: try c.decodeIfPresent(String.self, forKey: .sku))
        case "draw": self = .draw(keyword: try c.decode(String.self, forKey: .keyword), seconds: try c.decode(Int.self, forKey: .seconds))
        case "play": self = .play(try c.decode(PlayCue.self, forKey: .play))
        case "music": self = .music(try c.decodeIfPresent(String.self, forKey: .name))
        case "warmup": self = .warmup(startsAt: try c.decode(String.self, forKey: .at), left: try c.decode(Int.self, forKey: .ms))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown cue type '\(other)'")
        }
    }
}
