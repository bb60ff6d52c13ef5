import AnchorStore
import Foundation
import Synchronization

/// Writes the air log off the live loop, in the order asked, with GRDB's async writes: a locked
/// or slow database (another process holding a write lock, a busy disk) delays the log, never
/// the picture, and never holds a thread. Positions are coalesced — a restart only needs the
/// latest. A failing database is reported once when it starts failing and once when it recovers.
public final class AirLogWriter: Sendable {
    public struct Status: Sendable, Codable, Equatable {
        /// Writes waiting for the database.
        public var pending = 0
        /// Why writes fail, while they do.
        public var error: String?
        public var failedWrites = 0
    }

    public var log: AirLog { shared.log }
    private let shared: Shared
    private let jobs: AsyncStream<Job>.Continuation

    struct Position: Sendable {
        var show: String, pass: Int, segment: Int, event: Int, at: Date
    }

    enum Job: Sendable {
        case write(String, @Sendable (AirLog) async throws -> Void)
        /// The latest position (taken when the job runs).
        case position
        /// Everything asked before has been tried.
        case barrier(@Sendable () -> Void)
    }

    /// What the writer and its worker task share (the task holds this, not the writer, so
    /// dropping the writer ends the task).
    final class Shared: Sendable {
        let log: AirLog
        let state = Mutex<(status: Status, position: Position?, health: WriteHealth)>((Status(), nil, WriteHealth()))
        let report: @Sendable (String, Bool) -> Void

        init(log: AirLog, report: @escaping @Sendable (String, Bool) -> Void) {
            self.log = log
            self.report = report
        }

        func run(_ job: Job) async {
            switch job {
            case .write(let what, let work):
                await attempt(what) { try await work(self.log) }
                state.withLock { $0.status.pending -= 1 }
            case .position:
                guard let p = state.withLock({ s in defer { s.position = nil; s.status.pending -= 1 }; return s.position }) else { return }
                await attempt("save the position") { try await self.log.save(show: p.show, pass: p.pass, segment: p.segment, event: p.event, at: p.at) }
            case .barrier(let done):
                done()
            }
        }

        private func attempt(_ what: String, _ work: () async throws -> Void) async {
            do {
                try await work()
                if let failures = state.withLock({ s in
                    defer { s.status.error = s.health.error }
                    return s.health.succeeded()
                }) {
                    report("the database takes writes again (\(failures) failed so far)", false)
                }
            } catch {
                let first = state.withLock { s in
                    defer { s.status.error = s.health.error; s.status.failedWrites = s.health.failures }
                    return s.health.failed(error)
                }
                if first { report("cannot \(what): \(error); the show goes on and later writes will try again", true) }
            }
        }
    }

    /// `report(message, isError)` tells the log.
    public init(log: AirLog, report: @escaping @Sendable (String, Bool) -> Void = { _, _ in }) {
        let shared = Shared(log: log, report: report)
        self.shared = shared
        let (stream, jobs) = AsyncStream.makeStream(of: Job.self)
        self.jobs = jobs
        Task { for await job in stream { await shared.run(job) } }
    }

    deinit { jobs.finish() }

    public var status: Status { shared.state.withLock { $0.status } }

    /// Where the show is; replaces a position still waiting to be written.
    public func savePosition(show: String, pass: Int, segment: Int, event: Int) {
        let p = Position(show: show, pass: pass, segment: segment, event: event, at: Date())
        let first = shared.state.withLock { s in
            defer { s.position = p }
            if s.position == nil { s.status.pending += 1; return true }
            return false
        }
        if first { jobs.yield(.position) }
    }

    /// A segment began (the replay index), timed now.
    public func begin(show: String, segment: String, productSku: String?, file: String?, offsetSeconds: Double?) {
        let at = Date()
        perform("write the replay index") { try await $0.begin(show: show, segment: segment, productSku: productSku, at: at, file: file, offsetSeconds: offsetSeconds) }
    }

    /// The show stopped.
    public func end() {
        let at = Date()
        perform("close the replay index") { try await $0.end(at: at) }
    }

    /// Any other write, in order after those asked for before it.
    public func perform(_ what: String, _ work: @escaping @Sendable (AirLog) async throws -> Void) {
        shared.state.withLock { $0.status.pending += 1 }
        jobs.yield(.write(what, work))
    }

    /// Returns once every write asked for so far has been tried.
    public func flush() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            if case .terminated = jobs.yield(.barrier { done.resume() }) { done.resume() }
        }
    }

    /// Reads after every write asked for so far has been tried. Blocks the calling thread: for
    /// threads of their own (a recording's remux), never for the live loop or a task.
    public func read<T>(_ body: (AirLog) throws -> T) rethrows -> T {
        let done = DispatchSemaphore(value: 0)
        if case .terminated = jobs.yield(.barrier { done.signal() }) { done.signal() }
        done.wait()
        return try body(log)
    }
}
