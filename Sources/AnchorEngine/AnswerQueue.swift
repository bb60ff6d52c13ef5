import AnchorChat
import Foundation

/// Answers waiting to be spoken, oldest first. A question on a topic already waiting (ten
/// people asking the price) joins that answer, which then names up to three askers; when more
/// than `capacity` answers wait, the oldest social one (a greeting) is shed, then the oldest.
public struct AnswerQueue: Sendable {
    struct Waiting: Sendable {
        var decision: Decision
        var askers: [String]
        var arrivedAt: ContinuousClock.Instant
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

    public mutating func add(_ d: Decision, arrivedAt: ContinuousClock.Instant) {
        guard d.reply != nil else { return }
        if d.source == .facts, let k = waiting.firstIndex(where: { $0.decision.source == .facts && $0.decision.topic == d.topic && $0.decision.productSKU == d.productSKU }) {
            if !waiting[k].askers.contains(d.user) { waiting[k].askers.append(d.user) }
            merged += 1
            return
        }
        waiting.append(Waiting(decision: d, askers: [d.user], arrivedAt: arrivedAt))
        if waiting.count > capacity {
            waiting.remove(at: waiting.firstIndex { $0.decision.source != .facts } ?? 0)
            shed += 1
        }
    }

    /// The next answer, naming its askers, and when its first question arrived.
    public mutating func pop() -> (Decision, ContinuousClock.Instant)? {
        guard !waiting.isEmpty else { return nil }
        let w = waiting.removeFirst()
        return (FloodMerger.named(w.decision, w.askers), w.arrivedAt)
    }
}
