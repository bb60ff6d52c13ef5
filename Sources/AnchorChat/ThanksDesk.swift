import AnchorCore
import Foundation

/// Turns gifts, follows, shares, joins and likes into thanks that do not drown the show: events
/// gather for `window` seconds into one line per kind and language ("Thank you Ann, Bo and 3
/// more for the roses!"), the most valuable group first, at most one line every `every`
/// seconds, each viewer named at most once per `perViewer` (then only counted), and only names
/// moderation allows are said. Memory stays bounded whatever arrives. One owner, like the
/// responder that holds it.
public struct ThanksDesk: Sendable {
    public var policy: ThanksPolicy

    struct Giver {
        var name: String?
        /// As said aloud (nil: counted, not named).
        var said: String?
        var value: Double
        var count: Int
    }

    /// Events of one kind, language (and gift) waiting to be thanked.
    struct Group {
        var kind: ViewerEvent.Kind
        var language: ChatText.ChatLanguage
        var gift: String?
        var first: Double
        var givers: [String: Giver] = [:]
        /// Givers beyond those kept (the least valuable are only counted).
        var others = 0
        var value = 0.0
        var count = 0

        /// Takes another group's givers in (gifts of several kinds become "gifts").
        mutating func absorb(_ other: Group) {
            if gift != other.gift { gift = nil }
            first = min(first, other.first)
            value += other.value
            count += other.count
            others += other.others
            for (id, giver) in other.givers { credit(id, giver) }
            trim()
        }

        /// Adds what a viewer gave to what they gave before (their name, when it was missing).
        mutating func credit(_ id: String, _ giver: Giver) {
            guard var mine = givers[id] else { givers[id] = giver; return }
            mine.value += giver.value
            mine.count += giver.count
            if mine.name == nil { mine.name = giver.name; mine.said = giver.said }
            givers[id] = mine
        }

        /// Keeps memory bounded: beyond `keptGivers`, the least valuable are only counted.
        mutating func trim() {
            while givers.count > ThanksDesk.keptGivers, let least = givers.min(by: { $0.value.value < $1.value.value })?.key {
                givers[least] = nil
                others += 1
            }
        }
    }

    private var groups: [String: Group] = [:]
    private var likes: [ChatText.ChatLanguage: (count: Int, first: Double)] = [:]
    private var lastLine = -Double.infinity
    private var lastLikes = -Double.infinity
    private var lastNamed: [String: Double] = [:]
    /// Givers kept by name per group; groups at most (a platform sending a new gift name every
    /// time cannot grow memory).
    static let keptGivers = 50
    static let maxGroups = 32

    public init(policy: ThanksPolicy = .init()) { self.policy = policy }

    /// Takes one gift, like, follow, share or join (messages and paid messages go elsewhere).
    /// `name` is the name that may be drawn, `said` as it may be said (nil: counted, never named).
    public mutating func add(_ e: ViewerEvent, name: String?, said: String? = nil, language: ChatText.ChatLanguage) {
        switch e.kind {
        case .like:
            guard policy.likesEvery > 0 else { return }
            var l = likes[language] ?? (0, e.time)
            l.count = min(l.count + e.count, 1 << 40)
            likes[language] = l
            return
        case .gift: guard e.value >= policy.minGift else { return }
        case .follow: guard policy.follows else { return }
        case .share: guard policy.shares else { return }
        case .join: guard policy.joins else { return }
        case .message, .paidMessage: return
        }
        var gift = e.kind == .gift ? (e.gift ?? "gift") : nil
        var key = "\(e.kind.rawValue)|\(language.rawValue)|\(gift ?? "")"
        if groups[key] == nil, groups.count >= Self.maxGroups {
            // Too many kinds of gift at once: this one joins the language's "gifts" line.
            gift = nil
            key = "\(e.kind.rawValue)|\(language.rawValue)|*"
            if groups[key] == nil, groups.count >= Self.maxGroups { return }
        }
        var g = groups[key] ?? Group(kind: e.kind, language: language, gift: gift, first: e.time)
        g.value += e.value
        g.count += e.count
        g.credit(e.user, Giver(name: name, said: said, value: e.value, count: e.count))
        g.trim()
        groups[key] = g
    }

    /// How much is held: groups waiting and givers kept by name in them.
    public var waiting: (groups: Int, givers: Int) { (groups.count, groups.values.reduce(0) { $0 + $1.givers.count }) }

    /// What the wording needs to say one group.
    public struct Line: Sendable, Equatable {
        public var kind: ViewerEvent.Kind
        public var language: ChatText.ChatLanguage
        /// The gift, when all were the same; nil for several kinds of gift.
        public var gift: String?
        /// "Ann, Bo and 3 more" (only names that may be said, each at most once per `perViewer`).
        public var users: String
        /// The same on screen, names as written: "Ann, Bo +3".
        public var shown: String
        /// The names thanked (as drawn), most valuable first.
        public var named: [String]
        /// How many of them can be said (the rest are counted).
        public var said: Int
        /// How many viewers; how many gifts or likes; their value.
        public var viewers: Int
        public var count: Int
        public var value: Double
        /// The viewers' ids.
        public var ids: [String]
        /// When the first event of the line arrived.
        public var first: Double
    }

    /// The thanks due at `time`, if any: at most one line, and none within `every` seconds of the last.
    public mutating func due(at time: Double) -> Line? {
        guard time - lastLine >= policy.every else { return nil }
        if lastNamed.count > 10_000 { lastNamed = lastNamed.filter { time - $0.value < policy.perViewer } }
        // The most valuable group whose window has closed; follows, shares and joins after gifts.
        let ready = groups.filter { time - $0.value.first >= policy.window }
        if let (key, best) = ready.max(by: { Self.weight($0.value) < Self.weight($1.value) }) {
            groups[key] = nil
            lastLine = time
            var g = best
            if g.kind == .gift {
                // Every gift waiting in that language joins the line ("for 1 204 gifts"): one
                // line every `every` seconds must not leave other gifts waiting a minute.
                for (k, other) in groups where other.kind == .gift && other.language == g.language {
                    groups[k] = nil
                    g.absorb(other)
                }
            }
            return line(for: g, at: time)
        }
        // Likes: as a group, at most every `likesEvery`.
        if policy.likesEvery > 0, time - lastLikes >= policy.likesEvery,
           let (language, l) = likes.filter({ $0.value.count >= policy.minLikes && time - $0.value.first >= policy.window }).max(by: { $0.value.count < $1.value.count }) {
            likes[language] = nil
            lastLikes = time
            lastLine = time
            return Line(kind: .like, language: language, gift: nil, users: "", shown: "", named: [], said: 0, viewers: 0, count: l.count, value: 0, ids: [], first: l.first)
        }
        return nil
    }

    static func weight(_ g: Group) -> (Int, Double, Int) {
        let rank = switch g.kind { case .gift: 3; case .follow: 2; case .share: 1; default: 0 }
        return (rank, g.value, g.givers.count + g.others)
    }

    private mutating func line(for g: Group, at time: Double) -> Line {
        let byValue = g.givers.sorted { ($0.value.value, $0.value.count, $1.key) > ($1.value.value, $1.value.count, $0.key) }
        var named: [String] = [], said: [String] = []
        for (id, giver) in byValue where named.count < policy.names {
            guard let name = giver.name, time - (lastNamed[id] ?? -.infinity) >= policy.perViewer, !named.contains(name) else { continue }
            named.append(name)
            if let s = giver.said { said.append(s) }
            lastNamed[id] = time
        }
        let viewers = g.givers.count + g.others
        let users = NameList.spoken(said, total: viewers, zh: g.language == .zh, limit: policy.names)
        return Line(kind: g.kind, language: g.language, gift: g.gift, users: users, shown: NameList.shown(named, total: viewers, limit: policy.names),
                    named: named, said: said.count, viewers: viewers,
                    count: g.count, value: g.value, ids: byValue.map(\.key), first: g.first)
    }
}
