import AnchorStore
import Foundation
import Synchronization

/// Writes the air log on its own queue, never on the live loop: a locked or slow database
/// (another process holding a write lock, a busy disk) delays the log, never the picture.
/// Positions are coalesced — a restart only needs the latest — and everything else is written
/// in the order it was asked for. A failing database is reported once when it starts failing
/// and once when it recovers.
public final class AirLogWriter: Sendable {
    public struct Status: Sendable, Codable, Equatable {
        /// Writes waiting for the database.
        public var pending = 0
        /// Why writes fail, while they do.
        public var error: String?
        public var failedWrites = 0
    }

    public let log: AirLog
    private let queue = DispatchQueue(label: "anchor.airlog")
    private let state = Mutex<(status: Status, position: Position?)>((Status(), nil))
    private let report: @Sendable (String, Bool) -> Void

    private struct Position {
        var show: String, pass: Int, segment: Int, event: Int, at: Date
    }

    /// `report(message, isError)` tells the log.
    public init(log: AirLog, report: @escaping @Sendable (String, Bool) -> Void = { _, _ in }) {
        self.log = log
        self.report = report
    }

    public var status: Status { state.withLock { $0.status } }

    /// Where the show is; replaces a position still waiting to be written.
    public func savePosition(show: String, pass: Int, segment: Int, event: Int) {
        let p = Position(show: show, pass: pass, segment: segment, event: event, at: Date())
        let first = state.withLock { s in
            defer { s.position = p }
            if s.position == nil { s.status.pending += 1; return true }
            return false
        }
        guard first else { return }
        queue.async { [self] in
            guard let p = state.withLock({ s in defer { s.position = nil; s.status.pending -= 1 }; return s.position }) else { return }
            attempt("save the position") { try $0.save(show: p.show, pass: p.pass, segment: p.segment, event: p.event, at: p.at) }
        }
    }

    /// A segment began (the replay index), timed now.
    public func begin(show: String, segment: String, productSku: String?, file: String?, offsetSeconds: Double?) {
        let at = Date()
        perform("write the replay index") { try $0.begin(show: show, segment: segment, productSku: productSku, at: at, file: file, offsetSeconds: offsetSeconds) }
    }

    /// The show stopped.
    public func end() {
        let at = Date()
        perform("close the replay index") { try $0.end(at: at) }
    }

    /// Any other write, in order after those asked for before it.
    public func perform(_ what: String, _ work: @escaping @Sendable (AirLog) throws -> Void) {
        state.withLock { $0.status.pending += 1 }
        queue.async { [self] in
            attempt(what, work)
            state.withLock { $0.status.pending -= 1 }
        }
    }

    /// Reads after every write asked for so far has been tried (blocks: not for the live loop).
    public func read<T>(_ body: (AirLog) throws -> T) rethrows -> T {
        try queue.sync { try body(log) }
    }

    /// Waits until every write asked for so far has been tried.
    public func flush() { queue.sync {} }

    private func attempt(_ what: String, _ work: (AirLog) throws -> Void) {
        do {
            try work(log)
            let recovered = state.withLock { s -> Int? in
                guard s.status.error != nil else { return nil }
                s.status.error = nil
                return s.status.failedWrites
            }
            if let recovered { report("the database takes writes again (\(recovered) failed so far)", false) }
        } catch {
            let first = state.withLock { s in
                defer { s.status.error = "\(error)"; s.status.failedWrites += 1 }
                return s.status.error == nil
            }
            if first { report("cannot \(what): \(error); the show goes on and later writes will try again", true) }
        }
    }
}
