import AnchorChat
import AnchorCore
import AnchorStore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Where the control port listens, and the token it wants.
///
/// With a token, every command (POST, the chat WebSocket) needs it, also on loopback: any web
/// page open in the seller's browser can send requests to 127.0.0.1. On loopback the read-only
/// routes (the page, status, metrics) stay open; elsewhere they need the token too.
public struct ControlEndpoint: Sendable {
    public var host: String
    public var port: Int
    /// nil: commands need no token (only on loopback, when the operator said so).
    public var token: String?
    /// With it, `POST /events` also takes requests signed with it instead of the token (webhooks).
    public var eventsSecret: String?

    public enum Problem: Error, CustomStringConvertible {
        case badAddress(String)
        case tokenRequired(String)
        public var description: String {
            switch self {
            case .badAddress(let s): "--control takes HOST:PORT (like 127.0.0.1:8090) or 'off', not '\(s)'"
            case .tokenRequired(let host): "the control port on \(host) is reachable from other machines: give --token (or ANCHOR_TOKEN)"
            }
        }
    }

    /// nil for "off". A token is required unless the host is a loopback address.
    public init?(_ text: String, token: String?) throws(Problem) {
        if text == "off" { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw .badAddress(text)
        }
        host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard !host.isEmpty else { throw .badAddress(text) }
        self.port = port
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        if self.token == nil, !Self.isLoopback(host) { throw .tokenRequired(host) }
    }

    public var isLoopback: Bool { Self.isLoopback(host) }

    static func isLoopback(_ host: String) -> Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }
}
