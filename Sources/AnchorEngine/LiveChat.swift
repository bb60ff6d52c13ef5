import AnchorChat
import Foundation
import Synchronization

/// Chat for a live channel. Messages are posted from any thread (stdin, a file replayed in
/// real time, the control port) into a bounded inbox; the live loop decides on them between
/// frames within a time budget, so a flood can never hold up a frame. What the inbox cannot
/// hold is shed, oldest first, and counted.
public final class LiveChat: Sendable {
    public struct Stats: Sendable, Codable {
        public var received = 0
        public var decided = 0
        public var blocked = 0
        public var answered = 0
        public var silent = 0
        /// Dropped unread because the inbox was full.
        public var shed = 0
        /// Seconds from a question's arrival to its answer starting in the stream.
        public var latencies: [Double] = []
        public var recent: [Entry] = []
    }

    /// One decision, for the dashboard.
    public struct Entry: Sendable, Codable {
        public var user: String
        public var question: String
        public var reply: String?
        public var source: String
        public var detail: String
    }

    struct Inbox {
        var messages: [(ChatMessage, ContinuousClock.Instant)] = []
        var stats = Stats()
    }

    public let capacity: Int
    /// Time the live loop spends deciding per frame at most.
    public let budget: Duration
    private let inbox = Mutex(Inbox())
    /// Only the live loop touches the responder.
    private let responder: Mutex<Responder>

    /// Told every decision (on the live loop), for the log.
    private let onDecision: @Sendable (Decision) -> Void

    public init(responder: Responder, capacity: Int = 2_000, budget: Duration = .milliseconds(4),
                onDecision: @escaping @Sendable (Decision) -> Void = { _ in }) {
        self.responder = Mutex(responder)
        self.capacity = capacity
        self.budget = budget
        self.onDecision = onDecision
    }

    /// Posts a message (any thread).
    public func post(_ m: ChatMessage) {
        let now = ContinuousClock.now
        inbox.withLock { box in
            box.stats.received += 1
            if box.messages.count >= capacity {
                box.messages.removeFirst(box.messages.count - capacity + 1)
                box.stats.shed += 1
            }
            box.messages.append((m, now))
        }
    }

    public var stats: Stats { inbox.withLock { $0.stats } }

    /// Decides on waiting messages until the budget is spent; returns the answers with arrival times.
    func decide(onScreen: String?) -> [(Decision, ContinuousClock.Instant)] {
        let started = ContinuousClock.now
        var out: [(Decision, ContinuousClock.Instant)] = []
        var entries: [Entry] = []
        var counts = (decided: 0, blocked: 0, silent: 0)
        responder.withLock { r in
            while ContinuousClock.now - started < budget {
                guard let (m, at) = inbox.withLock({ box in box.messages.isEmpty ? nil : box.messages.removeFirst() }) else { break }
                let d = r.decide(m, onScreen: onScreen)
                onDecision(d)
                counts.decided += 1
                switch d.source {
                case .blocked: counts.blocked += 1
                case .silence: counts.silent += 1
                default: if d.reply != nil { out.append((d, at)) } else { counts.silent += 1 }
                }
                entries.append(Entry(user: d.user, question: String(d.question.prefix(200)), reply: d.reply, source: d.source.rawValue, detail: d.detail))
            }
        }
        guard counts.decided > 0 else { return out }
        inbox.withLock { box in
            box.stats.decided += counts.decided
            box.stats.blocked += counts.blocked
            box.stats.silent += counts.silent
            box.stats.recent = Array((box.stats.recent + entries).suffix(20))
        }
        return out
    }

    /// Records that an answer started in the stream `seconds` after its question arrived.
    func heard(after seconds: Double) {
        inbox.withLock { box in
            box.stats.answered += 1
            box.stats.latencies.append(seconds)
            if box.stats.latencies.count > 10_000 { box.stats.latencies.removeFirst(5_000) }
        }
    }

    /// Questions the responder could not answer since the last call (for the unanswered log).
    public func takeUnanswered() -> [ChatMessage] { responder.withLock { $0.takeUnanswered() } }

    /// Replays a chat source into the inbox: a file in real time from `start` (by each line's
    /// `t`), stdin as typed.
    public func feed(_ source: ChatSource, realTime: Bool) async throws {
        let start = ContinuousClock.now
        for try await m in source.messages() {
            if realTime {
                let due = start + .milliseconds(Int64(m.time * 1000))
                if due > .now { try await Task.sleep(until: due, clock: .continuous) }
            }
            var live = m
            live.time = Date().timeIntervalSince1970
            post(live)
        }
    }
}
