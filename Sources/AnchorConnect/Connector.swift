import AnchorChat
import AnchorStream
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// One platform's chat protocol: a single connection (or polling run) that reads until the
/// server ends it. The `Connector` around it reconnects; a platform only says how one session goes.
public protocol ChatPlatform: Sendable, CustomStringConvertible {
    /// The platform name events carry (`twitch`, `youtube`, `bilibili`, `irc`).
    var platform: String { get }
    /// Reads until the server closes (returns) or fails (throws, a `ConnectorFailure` when the
    /// reason is known). Calls `connected` once reading works, `emit` for each event.
    func session(emit: @escaping @Sendable (ViewerEvent) -> Void, connected: @escaping @Sendable () -> Void) async throws
}

/// Why a session ended, in words for the operator, and how long to wait at least before the
/// next try: a refused login or a spent quota must not become a retry storm.
public struct ConnectorFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let retryAfter: Double?

    public init(_ description: String, retryAfter: Double? = nil) {
        self.description = description
        self.retryAfter = retryAfter
    }
}

/// Runs a `ChatPlatform` for as long as the show: connects, and when the connection drops or
/// fails, connects again with the same backoff as an RTMP destination (0.5 s doubling to 30 s,
/// reset once connected), never sooner than a failure's `retryAfter`. It never blocks the show:
/// events go to `onEvent` as they come.
public final class Connector: Sendable, CustomStringConvertible {
    public enum State: Sendable, Equatable, CustomStringConvertible {
        case connecting
        case connected
        case retrying(in: Double, reason: String)

        public var description: String {
            switch self {
            case .connecting: "connecting"
            case .connected: "connected"
            case .retrying(let s, let why): "retrying in \(Self.duration(s)) (\(why))"
            }
        }

        static func duration(_ s: Double) -> String {
            if s < 90 { return String(format: "%.1f s", s) }
            if s < 5_400 { return "\(Int((s / 60).rounded())) min" }
            return String(format: "%.1f h", s / 3_600)
        }
    }

    public let platform: any ChatPlatform
    private let current = Mutex<(state: State, sessions: Int, events: Int)>((.connecting, 0, 0))

    public init(_ platform: any ChatPlatform) { self.platform = platform }

    public var description: String { platform.description }
    public var state: State { current.withLock { $0.state } }
    /// Sessions that got as far as reading, and events read.
    public var sessions: Int { current.withLock { $0.sessions } }
    public var events: Int { current.withLock { $0.events } }
    /// One line for the status page.
    public var summary: String { current.withLock { "\($0.state), \($0.events) events, \($0.sessions) sessions" } }

    /// Reads until the task is cancelled. `onState` hears every change (for the log and status).
    public func run(onEvent: @escaping @Sendable (ViewerEvent) -> Void, onState: @escaping @Sendable (State) -> Void = { _ in }) async {
        let backoff = Mutex(Backoff())
        while !Task.isCancelled {
            set(.connecting, onState)
            let reason: String
            var floor = 0.0
            do {
                try await platform.session(emit: { [self] e in
                    current.withLock { $0.events += 1 }
                    onEvent(e)
                }, connected: { [self] in
                    current.withLock { $0.sessions += 1 }
                    backoff.withLock { $0.reset() }
                    set(.connected, onState)
                })
                reason = "the server closed the connection"
            } catch let failure as ConnectorFailure {
                reason = failure.description
                floor = failure.retryAfter ?? 0
            } catch {
                reason = Self.describe(error)
            }
            if Task.isCancelled { return }
            let delay = max(floor, backoff.withLock { $0.next() })
            set(.retrying(in: delay, reason: reason), onState)
            try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
        }
    }

    private func set(_ s: State, _ onState: @Sendable (State) -> Void) {
        current.withLock { $0.state = s }
        onState(s)
    }

    /// A network error in words: "cannot connect: connection refused".
    static func describe(_ error: Error) -> String {
        if let e = (error as? NIOConnectionError)?.connectionErrors.first?.error as? IOError ?? error as? IOError {
            return "cannot connect: " + String(cString: strerror(e.errnoCode)).lowercased()
        }
        if error is NIOConnectionError { return "cannot connect" }
        if error is ChannelError { return "connection failed: \(error)" }
        return "\(error)"
    }
}
