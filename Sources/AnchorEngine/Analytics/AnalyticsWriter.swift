import AnchorStore
import Foundation
import Synchronization

/// Records what happens on a channel as air events, stamped with the show, segment and product on
/// air. Recording takes a lock for an append and returns: the rows go to the database in one
/// transaction every quarter second with GRDB's async writes, so neither a busy chat nor a slow
/// disk ever delays a frame or holds a thread. A database that fails keeps its rows waiting (up
/// to `capacity`; past that the oldest are dropped and counted), tries again every second, and
/// is reported once when it fails and once when it recovers.
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

    struct State {
        var buffer: [AirEvent] = []
        var onAir = OnAir()
        /// A write is due (or being retried): new rows join it.
        var scheduled = false
        var status = Status()
        var health = WriteHealth()
    }

    enum Job: Sendable {
        /// Write what waits, after `delay` (rows arriving meanwhile join the batch).
        case batch(delay: Duration)
        /// Write what waits now, then say so.
        case flush(@Sendable () -> Void)
    }

    public var log: AnalyticsLog { shared.log }
    public let channel: String
    public var capacity: Int { shared.capacity }
    private let shared: Shared
    private let jobs: AsyncStream<Job>.Continuation
    private let interval: Duration
    /// What the last status said (to record only what changed).
    let watch = Mutex<(reconnects: [String: Int], problems: Set<String>)>(([:], []))

    /// What the writer and its worker task share (the task holds this, not the writer).
    final class Shared: Sendable {
        let log: AnalyticsLog
        let capacity: Int
        let state = Mutex(State())
        let report: @Sendable (String, Bool) -> Void

        init(log: AnalyticsLog, capacity: Int, report: @escaping @Sendable (String, Bool) -> Void) {
            (self.log, self.capacity, self.report) = (log, capacity, report)
        }

        /// Writes what waits; false when the database refused it (the rows wait again).
        func write() async -> Bool {
            let batch = state.withLock { s in defer { s.buffer = []; s.scheduled = false }; return s.buffer }
            guard !batch.isEmpty else { return true }
            do {
                try await log.append(batch)
                let recovered = state.withLock { s -> Bool in
                    s.status.written += batch.count
                    s.status.pending = s.buffer.count
                    defer { s.status.error = s.health.error }
                    return s.health.succeeded() != nil
                }
                if recovered { report("analytics are written again", false) }
                return true
            } catch {
                // Keep the rows for the next try, in order, within the capacity.
                let first = state.withLock { s -> Bool in
                    var rows = batch + s.buffer
                    if rows.count > capacity { s.status.dropped += rows.count - capacity; rows.removeFirst(rows.count - capacity) }
                    s.buffer = rows
                    s.status.pending = rows.count
                    s.scheduled = true
                    defer { s.status.error = s.health.error }
                    return s.health.failed(error)
                }
                if first { report("cannot write analytics: \(error); they wait and are written when the database takes writes", true) }
                return false
            }
        }
    }

    public init(log: AnalyticsLog, channel: String, capacity: Int = 200_000, interval: Duration = .milliseconds(250),
                report: @escaping @Sendable (String, Bool) -> Void = { _, _ in }) {
        self.channel = channel
        self.interval = interval
        let shared = Shared(log: log, capacity: capacity, report: report)
        self.shared = shared
        let (stream, jobs) = AsyncStream.makeStream(of: Job.self)
        self.jobs = jobs
        Task {
            for await job in stream {
                switch job {
                case .batch(let delay):
                    try? await Task.sleep(for: delay)
                    // Refused: a second later, again (a flush asked meanwhile is not held up by it).
                    if await !shared.write() {
                        Task {
                            try? await Task.sleep(for: .seconds(1))
                            jobs.yield(.batch(delay: .zero))
                        }
                    }
                case .flush(let done):
                    _ = await shared.write()
                    done()
                }
            }
        }
    }

    deinit { jobs.finish() }

    public var status: Status { shared.state.withLock { $0.status } }
    public var onAir: OnAir { shared.state.withLock { $0.onAir } }

    /// A new segment is on air: stamped on what follows, and recorded.
    public func enter(show: String, segment: String, productSku: String?, at date: Date = Date()) {
        shared.state.withLock { $0.onAir = OnAir(show: show, segment: segment, productSku: productSku) }
        record(.segment, at: date)
    }

    /// Records an event now (or at `date`); the product is the one on air unless given.
    public func record(_ kind: AirEvent.Kind, at date: Date = Date(), productSku: String? = nil, source: String? = nil, detail: String? = nil,
                       topic: String? = nil, language: String? = nil, user: String? = nil, text: String? = nil, value: Double? = nil, count: Int? = nil) {
        let schedule = shared.state.withLock { s -> Bool in
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
        if schedule { jobs.yield(.batch(delay: interval)) }
    }

    /// Writes what is waiting now and returns when it is written (or refused).
    public func flush() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            if case .terminated = jobs.yield(.flush { done.resume() }) { done.resume() }
        }
    }
}
