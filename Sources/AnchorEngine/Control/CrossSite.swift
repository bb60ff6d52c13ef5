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

/// The rules `OriginCheck` and the WebSocket upgrade apply.
enum CrossSite {
    static func allows(authority: String?, origin: String?, loopback: Bool, isCommand: Bool) -> Bool {
        // Browsers always send a Host; a request without one (not HTTP/1.1) is no rebinding.
        if loopback, let authority, !ControlEndpoint.isLoopback(hostName(authority)) { return false }
        guard isCommand, let origin else { return true }
        // `Origin: http://127.0.0.1:8090` must name the host (and port, when it has one) this
        // request was sent to. Some WebSocket clients send `ws://HOST` without the port.
        guard let schemeEnd = origin.range(of: "://"), let authority else { return false }
        let from = origin[schemeEnd.upperBound...].lowercased(), to = authority.lowercased()
        return from == to || (port(from) == nil && hostName(from) == hostName(to))
    }

    static func port(_ authority: String) -> Int? {
        let afterHost = authority.hasPrefix("[") ? authority.split(separator: "]", maxSplits: 1).dropFirst().first.map(String.init) ?? "" : authority
        guard let colon = afterHost.lastIndex(of: ":") else { return nil }
        return Int(afterHost[afterHost.index(after: colon)...])
    }

    /// `127.0.0.1:8090` → `127.0.0.1`, `[::1]:8090` → `::1`.
    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "").lowercased()
    }
}
