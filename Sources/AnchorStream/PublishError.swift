import AnchorMedia
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Why a publishing session ended; decides whether and how soon to try again.
public enum PublishError: Error, Sendable, CustomStringConvertible {
    /// Could not reach the server (refused, unreachable, DNS, connect timeout).
    case unreachable(String)
    /// TLS failed (certificate, protocol).
    case tls(String)
    /// The server refused the application or the key: retrying will not help.
    case rejected(String)
    /// The key is in use (often our own previous session, not yet timed out on the server).
    case busy(String)
    /// The connection broke or went silent while publishing.
    case lost(String)
    /// The server is overloaded or down for now (HTTP 429/5xx), maybe saying when to come back.
    case unavailable(String, retryAfter: Double?)

    public var description: String {
        switch self {
        case .unreachable(let m), .tls(let m), .rejected(let m), .busy(let m), .lost(let m), .unavailable(let m, _): m
        }
    }

    /// The least wait before the next attempt, when the server asked for one.
    public var retryAfter: Double? { if case .unavailable(_, let after) = self { after } else { nil } }

    public var isPermanent: Bool { if case .rejected = self { true } else { false } }
}
