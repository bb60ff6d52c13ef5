import AnchorChat
import Foundation

/// Answers waiting to be spoken, oldest first. A question on a topic already waiting (ten
/// people asking the price, in the same language; or questions nothing answers) joins that
/// answer, which then names up to three askers; when more than `capacity` answers wait, the
/// one that matters least is shed (see `add`).
public struct AnswerQueue: Sendable {
    struct Waiting: Sendable {
        var decision: Decision
        var askers: [(id: String, name: String?)]
        /// Seconds of stream time.
        var arrivedAt: Double
    }

    public var capacity = 4
    private var waiting: [Waiting] = []
    /// Answers dropped because too many were waiting.
    public private(set) var shed = 0
    /// Questions that joined an answer already waiting.
    public private(set) var merged = 0

    public init() {}

    public var isEmpty: Bool { waiting.isEmpty }
    public var count: Int { waiting.count }

    /// `arrivedAt`: when the question came, in seconds of stream time.
    public mutating func add(_ d: Decision, arrivedAt: Double) {
        guard d.reply != nil else { return }
        if let key = FloodMerger.key(d), let k = waiting.firstIndex(where: { FloodMerger.key($0.decision) == key }) {
            if !waiting[k].askers.contains(where: { $0.id == d.user }) { waiting[k].askers.append((d.user, d.spokenName)) }
            merged += 1
            return
        }
        let w = Waiting(decision: d, askers: [(d.user, d.spokenName)], arrivedAt: arrivedAt)
        // The operator's lines go first, then paid messages, then thanks (at most one every 10 s: see ThanksDesk), then
        // answers in arrival order.
        if let k = waiting.firstIndex(where: { Self.priority($0.decision) < Self.priority(d) }) {
            waiting.insert(w, at: k)
        } else {
            waiting.append(w)
        }
        if waiting.count > capacity {
            // Shed what matters least: a fallback before a greeting before a catalog answer
            // (thanks and paid messages last), then the one fewest people asked, then the oldest.
            let least = waiting.indices.min { a, b in
                (Self.rank(waiting[a].decision), waiting[a].askers.count, a) < (Self.rank(waiting[b].decision), waiting[b].askers.count, b)
            } ?? 0
            waiting.remove(at: least)
            shed += 1
        }
    }

    static func rank(_ d: Decision) -> Int {
        switch d.source {
        case .console: 5
        case .paid: 4
        case .thanks: 3
        case .facts: 2
        case .rule: 1
        default: 0
        }
    }

    static func priority(_ d: Decision) -> Int {
        switch d.source {
        case .console: 3
        case .paid: 2
        case .thanks: 1
        default: 0
        }
    }

    /// The next answer, naming its askers, and when its first question arrived.
    public mutating func pop() -> (Decision, arrivedAt: Double)? {
        guard !waiting.isEmpty else { return nil }
        let w = waiting.removeFirst()
        return (FloodMerger.named(w.decision, w.askers), w.arrivedAt)
    }
}
