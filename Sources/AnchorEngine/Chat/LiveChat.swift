import AnchorChat
import AnchorCore
import Foundation
import NIOCore
import Synchronization

/// Chat and viewer events for a live channel. Messages, gifts, likes… are posted from any
/// thread (stdin, a file replayed in real time, the control port) into a bounded inbox; the
/// live loop decides on them between frames within a time budget, so a flood can never hold up
/// a frame. What the inbox cannot hold is shed, oldest first, and counted; every event is
/// counted by kind as it arrives.
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
        /// Viewer events by kind ("gift", "like"…; messages count in `received`).
        public var events: [String: Int] = [:]
        /// Likes (an event may carry many) and gifts' value in the platforms' units.
        public var likes = 0
        public var giftValue = 0.0
        /// Thanks lines and paid messages decided, and spoken in the stream.
        public var thanks = 0
        public var paid = 0
        public var thanksSpoken = 0
        /// Seconds from the first event a thanks covers (or a paid message) to it starting in the stream.
        public var thanksLatencies: [Double] = []
        public var recent: [Entry] = []

        /// The answer latencies heard since `answered` was `before`. `latencies` keeps only the
        /// last few thousand (trimmed by half when full), so counting by its length would stop
        /// seeing new ones after a trim; `answered` never goes back.
        public func latencies(since before: Int) -> ArraySlice<Double> {
            latencies.suffix(max(0, min(answered - before, latencies.count)))
        }
    }

    /// One decision, for the dashboard.
    public struct Entry: Sendable, Codable {
        public var user: String
        public var question: String
        public var reply: String?
        public var source: String
        public var detail: String
    }

    /// A blocked message, kept for the operator's review (its text is never logged).
    public struct Blocked: Sendable, Codable, Equatable {
        public var id: Int
        public var at: Date
        public var platform: String
        public var user: String
        public var text: String
        public var reason: String
        /// The operator let it through (its term is cleared for the rest of the night).
        public var cleared = false
    }

    struct Inbox {
        var messages = CircularBuffer<(ViewerEvent, ContinuousClock.Instant)>(initialCapacity: 256)
        var stats = Stats()
        var blocked: [Blocked] = []
        var nextBlockedID = 1
    }

    /// Blocked messages kept for review, newest last.
    public static let blockedKept = 100

    public let capacity: Int
    /// Time the live loop spends deciding per frame at most.
    public let budget: Duration
    private let inbox = Mutex(Inbox())
    /// Only the live loop touches the responder.
    private let responder: Mutex<Responder>
    /// The lucky draw taking entries, if any (opened and closed by the Director).
    private let draw = Mutex<LuckyDraw?>(nil)

    /// Told every decision (on the live loop), for the log.
    private let onDecision: @Sendable (Decision) -> Void
    /// Told every viewer event that is not a message as it arrives (any thread), for the analytics.
    private let onEvent: @Sendable (ViewerEvent) -> Void
    /// Counted as things happen: received, shed, blocked, answered.
    private let metrics: ChannelMetrics?

    public init(responder: Responder, capacity: Int = 2_000, budget: Duration = .milliseconds(4), metrics: ChannelMetrics? = nil,
                onEvent: @escaping @Sendable (ViewerEvent) -> Void = { _ in },
                onDecision: @escaping @Sendable (Decision) -> Void = { _ in }) {
        self.responder = Mutex(responder)
        self.metrics = metrics
        self.capacity = capacity
        self.budget = budget
        self.onEvent = onEvent
        self.onDecision = onDecision
    }

    /// Posts a message (any thread).
    public func post(_ m: ChatMessage) { post(ViewerEvent(m)) }

    /// Posts a viewer event (any thread).
    public func post(_ m: ViewerEvent) {
        let now = ContinuousClock.now
        if m.kind != .message {
            onEvent(m)
            metrics?.viewerEvent(m.kind.rawValue)
        } else {
            metrics?.received.increment()
        }
        let shed = inbox.withLock { box -> Bool in
            if m.kind == .message {
                box.stats.received += 1
            } else {
                box.stats.events[m.kind.rawValue, default: 0] += 1
                if m.kind == .like { box.stats.likes += m.count }
                if m.kind == .gift { box.stats.giftValue += m.value }
            }
            defer { box.messages.append((m, now)) }
            guard box.messages.count >= capacity else { return false }
            box.messages.removeFirst()
            box.stats.shed += 1
            return true
        }
        if shed { metrics?.shed.increment() }
    }

    public var stats: Stats { inbox.withLock { $0.stats } }

    /// Decides on waiting messages and events until the budget is spent, then asks for thanks
    /// due; returns the answers with arrival times. `language` is the show's (for viewers who
    /// never wrote).
    func decide(onScreen: String?, language: Language, now: Double = Date().timeIntervalSince1970) -> [(Decision, ContinuousClock.Instant)] {
        let started = ContinuousClock.now
        let chatLanguage: ChatText.ChatLanguage = language == .zh ? .zh : .en
        var out: [(Decision, ContinuousClock.Instant)] = []
        var entries: [Entry] = []
        var blocked: [(ViewerEvent, Decision)] = []
        var counts = (decided: 0, blocked: 0, silent: 0, thanks: 0, paid: 0)
        func note(_ d: Decision, _ at: ContinuousClock.Instant) {
            onDecision(d)
            if d.isSpoken { out.append((d, at)) } else if d.source == .blocked { counts.blocked += 1 } else { counts.silent += 1 }
            if d.source == .thanks { counts.thanks += 1 }
            if d.source == .paid { counts.paid += 1 }
            entries.append(Entry(user: d.displayName ?? d.user, question: String(d.question.prefix(200)), reply: d.reply, source: d.source.rawValue, detail: d.detail))
        }
        responder.withLock { r in
            while ContinuousClock.now - started < budget {
                guard let (m, at) = inbox.withLock({ box in box.messages.isEmpty ? nil : box.messages.removeFirst() }) else { break }
                if m.kind == .message { counts.decided += 1 }
                if let d = r.take(m, onScreen: onScreen, language: chatLanguage) {
                    note(d, at)
                    if d.source == .blocked, m.kind == .message { blocked.append((m, d)) }
                    if m.kind == .message { _ = draw.withLock { $0?.consider(m, decision: d) } }
                }
            }
            if let (d, first) = r.dueThanks(at: now) { note(d, .now - .milliseconds(Int64(max(0, min(now - first, 3_600)) * 1000))) }
        }
        guard !entries.isEmpty || counts.decided > 0 else { return out }
        if counts.blocked > 0 { metrics?.blocked.increment(by: counts.blocked) }
        inbox.withLock { box in
            box.stats.decided += counts.decided
            box.stats.blocked += counts.blocked
            box.stats.silent += counts.silent
            box.stats.thanks += counts.thanks
            box.stats.paid += counts.paid
            box.stats.recent = Array((box.stats.recent + entries).suffix(20))
            for (m, d) in blocked {
                box.blocked.append(Blocked(id: box.nextBlockedID, at: Date(timeIntervalSince1970: m.time), platform: m.platform, user: m.user,
                                           text: String((m.text ?? "").prefix(500)), reason: d.detail))
                box.nextBlockedID += 1
            }
            if box.blocked.count > Self.blockedKept { box.blocked.removeFirst(box.blocked.count - Self.blockedKept) }
        }
        return out
    }

    /// Records that an answer (or thanks) started in the stream `seconds` after its question
    /// (or the first event it thanks) arrived.
    func heard(_ source: Decision.Source, after seconds: Double) {
        metrics?.heard(thanks: source == .thanks || source == .paid, latency: seconds)
        inbox.withLock { box in
            if source == .thanks || source == .paid {
                box.stats.thanksSpoken += 1
                box.stats.thanksLatencies.append(seconds)
                if box.stats.thanksLatencies.count > 10_000 { box.stats.thanksLatencies.removeFirst(5_000) }
            } else {
                box.stats.answered += 1
                box.stats.latencies.append(seconds)
                if box.stats.latencies.count > 10_000 { box.stats.latencies.removeFirst(5_000) }
            }
        }
    }

    /// Blocked messages kept for review, newest last.
    public var blockedMessages: [Blocked] { inbox.withLock { $0.blocked } }

    public enum ReviewError: Error, CustomStringConvertible, Equatable {
        case unknown(Int)
        case notClearable(String)
        public var description: String {
            switch self {
            case .unknown(let id): "no blocked message \(id) (only the last \(LiveChat.blockedKept) are kept)"
            case .notClearable(let reason): "blocked for '\(reason)': only block-list terms can be cleared; links, contact details, spam and floods stay blocked"
            }
        }
    }

    /// Lets a blocked message through: its block-list term is cleared for the rest of the night
    /// and the message is decided again (answered like any other). Returns the term cleared.
    public func unblock(id: Int) -> Result<String, ReviewError> {
        guard let b = inbox.withLock({ $0.blocked.first { $0.id == id } }) else { return .failure(.unknown(id)) }
        guard let term = Moderator.blockedTerm(inReason: b.reason) else { return .failure(.notClearable(b.reason)) }
        responder.withLock { _ = $0.moderator.clear(term: term) }
        inbox.withLock { box in
            for i in box.blocked.indices where Moderator.blockedTerm(inReason: box.blocked[i].reason) == term { box.blocked[i].cleared = true }
        }
        post(ChatMessage(platform: b.platform, user: b.user, text: b.text, time: Date().timeIntervalSince1970))
        return .success(term)
    }

    /// Adds an FAQ entry to a product for the rest of the night (the caller keeps it in the database).
    public func add(faq: Product.FAQ, sku: String) throws {
        let index = responder.withLock { $0.index }
        try index.add(faq: faq, sku: sku)
    }

    /// SKUs in the responder's catalog.
    public var skus: [String] { responder.withLock { $0.index.catalog.products.map(\.sku) } }

    /// Questions the responder could not answer since the last call (for the unanswered log).
    public func takeUnanswered() -> [ChatMessage] { responder.withLock { $0.takeUnanswered() } }

    /// Replays a chat source into the inbox: a file in real time from `start` (by each line's
    /// `t`), stdin as typed.
    public func feed(_ source: ChatSource, realTime: Bool) async throws {
        let messages = source.messages()
        try await feed(AsyncThrowingStream { c in
            let task = Task {
                do { for try await m in messages { c.yield(ViewerEvent(m)) }; c.finish() } catch { c.finish(throwing: error) }
            }
            c.onTermination = { _ in task.cancel() }
        }, realTime: realTime)
    }

    /// Replays viewer events into the inbox: a log in real time (by each line's `t`), a live
    /// feed as it comes.
    public func feed(_ events: AsyncThrowingStream<ViewerEvent, Error>, realTime: Bool) async throws {
        let start = ContinuousClock.now
        for try await m in events {
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

extension LiveChat: Audience {
    public func decide(onScreen: String?, language: Language, streamTime: Double) -> [(decision: Decision, waited: Double)] {
        let now = ContinuousClock.now
        return decide(onScreen: onScreen, language: language).map { ($0.0, max(0, (now - $0.1).inSeconds)) }
    }

    public func heard(_ d: Decision, at streamTime: Double, latency: Double) { heard(d.source, after: latency) }

    public func openDraw(keyword: String) { draw.withLock { $0 = LuckyDraw(keyword: keyword) } }
    public var drawEntrants: Int { draw.withLock { $0?.entrants.count ?? 0 } }
    /// The draw taking entries now, for the status page.
    public var openDraw: Board.DrawSnapshot? { draw.withLock { d in d.map { .init(keyword: $0.keyword, entrants: $0.entrants.count) } } }
    public func closeDraw() -> LuckyDraw? { draw.withLock { d in defer { d = nil }; return d } }
    public var drawRules: RuleBook? { responder.withLock { $0.rules } }
}
