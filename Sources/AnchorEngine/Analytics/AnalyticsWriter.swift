import AnchorStore
import Foundation
import Synchronization

/// Records what happens on a channel as air events, stamped with the show, segment and product on
/// air. Recording takes a lock for an append and returns: the rows go to the database in one
/// transaction every quarter second on the writer's own queue, so neither a busy chat nor a slow
/// disk ever delays a frame. A database that fails keeps its rows waiting (up to `capacity`;
/// past that the oldest are dropped and counted) and is reported once when it fails and once
/// when it recovers.
public final class AnalyticsWriter: Sendable {
    public struct Status: Sendable, Codable, Equatable {
        public var written = 0
        public var pending = 0
        public var dropped = 0
        public var error: String?
    }

    /// What is on air, stamped on every event.
    public struct OnAir: Sendable, Equatable {
        public var show: String?
        public var segment: String?
        public var productSku: String?
        public init(show: String? = nil, segment: String? = nil, productSku: String? = nil) {
            (self.show, self.segment, self.productSku) = (show, segment, productSku)
        }
    }

    private struct State {
        var buffer: [AirEvent] = []
        var onAir = OnAir()
        var scheduled = false
        var status = Status()
    }

    public let log: AnalyticsLog
    public let channel: String
    public let capacity: Int
    private let interval: Double
    private let queue = DispatchQueue(label: "anchor.analytics")
    private let state = Mutex(State())
    /// What the last status said (to record only what changed).
    let watch = Mutex<(reconnects: [String: Int], problems: Set<String>)>(([:], []))
    private let report: @Sendable (String, Bool) -> Void

    public init(log: AnalyticsLog, channel: String, capacity: Int = 200_000, interval: Duration = .milliseconds(250),
                report: @escaping @Sendable (String, Bool) -> Void = { _, _ in }) {
        self.log = log
        self.channel = channel
        self.capacity = capacity
        self.interval = interval.inSeconds
        self.report = report
    }

    public var status: Status { state.withLock { $0.status } }
    public var onAir: OnAir { state.withLock { $0.onAir } }

    /// A new segment is on air: stamped on what follows, and recorded.
    public func enter(show: String, segment: String, productSku: String?, at date: Date = Date()) {
        state.withLock { $0.onAir = OnAir(show: show, segment: segment, productSku: productSku) }
        record(.segment, at: date)
    }

    /// Records an event now (or at `date`); the product is the one on air unless given.
    public func record(_ kind: AirEvent.Kind, at date: Date = Date(), productSku: String? = nil, source: String? = nil, detail: String? = nil,
                       topic: String? = nil, language: String? = nil, user: String? = nil, text: String? = nil, value: Double? = nil, count: Int? = nil) {
        let schedule = state.withLock { s -> Bool in
            let e = AirEvent(channel: channel, at: date.timeIntervalSince1970, kind: kind, show: s.onAir.show, segment: s.onAir.segment,
                             productSku: productSku ?? s.onAir.productSku, source: source, detail: detail, topic: topic, language: language,
                             user: user, text: text.map { String($0.prefix(500)) }, value: value, count: count)
            if s.buffer.count >= capacity {
                s.buffer.removeFirst(s.buffer.count - capacity + 1)
                s.status.dropped += 1
            }
            s.buffer.append(e)
            s.status.pending = s.buffer.count
            defer { s.scheduled = true }
            return !s.scheduled
        }
        if schedule { queue.asyncAfter(deadline: .now() + interval) { [self] in write() } }
    }

    /// Writes what is waiting now and returns when it is written (blocks: not for the live loop).
    public func flush() { queue.sync { write() } }

    private func write() {
        let batch = state.withLock { s in defer { s.buffer = []; s.scheduled = false }; return s.buffer }
        guard !batch.isEmpty else { return }
        do {
            try log.append(batch)
            let recovered = state.withLock { s -> Bool in
                s.status.written += batch.count
                s.status.pending = s.buffer.count
                defer { s.status.error = nil }
                return s.status.error != nil
            }
            if recovered { report("analytics are written again", false) }
        } catch {
            // Keep the rows for the next try, in order, within the capacity.
            let (first, reschedule) = state.withLock { s -> (Bool, Bool) in
                var rows = batch + s.buffer
                if rows.count > capacity { s.status.dropped += rows.count - capacity; rows.removeFirst(rows.count - capacity) }
                s.buffer = rows
                s.status.pending = rows.count
                defer { s.status.error = "\(error)"; s.scheduled = true }
                return (s.status.error == nil, !s.scheduled)
            }
            if first { report("cannot write analytics: \(error); they wait and are written when the database takes writes", true) }
            if reschedule { queue.asyncAfter(deadline: .now() + 1) { [self] in write() } }
        }
    }
}
