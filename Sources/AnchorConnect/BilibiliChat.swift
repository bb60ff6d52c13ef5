import AnchorChat
import AnchorStream
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization

/// A Bilibili live room's danmaku: asks the room API for the real room id, a token and the
/// danmaku hosts, opens the WebSocket, authenticates (operation 7), sends a heartbeat every
/// 30 s (operation 2) and turns notifications (operation 5, plain, zlib or brotli) into
/// viewer events. A server that says nothing for `silenceLimit` (2.5 heartbeats: it answers
/// each one) is taken for gone, and the session ends. With `server` set (a `ws://` or
/// `wss://` URL) it connects there directly, without the room API.
public struct BilibiliChat: ChatPlatform {
    public let room: Int
    public let api: URL
    public let server: URL?
    public var heartbeat: Duration
    /// How long a server may say nothing (it answers each heartbeat) before the session ends.
    public var silenceLimit: Duration
    private let fetch: HTTPFetch

    public static let defaultAPI = URL(string: "https://api.live.bilibili.com")!

    public init(room: Int, api: URL = BilibiliChat.defaultAPI, server: URL? = nil, heartbeat: Duration = .seconds(30), silenceLimit: Duration? = nil) throws {
        self.room = room
        self.api = api
        self.server = server
        self.heartbeat = heartbeat
        self.silenceLimit = silenceLimit ?? heartbeat * 2.5
        fetch = try HTTPFetch()
    }

    public var platform: String { "bilibili" }
    public var description: String { "bilibili:\(room)" }

    /// Where to connect and with what: the danmaku URL, the room's long id, the token.
    struct Route { var url: String; var room: Int; var key: String? }

    public func session(emit: @escaping @Sendable (ViewerEvent) -> Void, connected: @escaping @Sendable () -> Void) async throws {
        let route = try await self.route()
        let heard = LastHeard()
        do {
            try await exchange(route, heard: heard, emit: emit, connected: connected)
        } catch where heard.isSilent {
            // Whatever else failed once the socket was closed (a heartbeat write, the close timeout).
            throw Self.silent
        }
        if heard.isSilent { throw Self.silent }
    }

    static let silent = ConnectorFailure("the danmaku server went silent (no heartbeat reply)")

    /// One WebSocket connection: login, then heartbeats, a silence watchdog and the reader,
    /// until one of them ends.
    private func exchange(_ route: Route, heard: LastHeard, emit: @escaping @Sendable (ViewerEvent) -> Void,
                          connected: @escaping @Sendable () -> Void) async throws {
        let heartbeat = self.heartbeat, silenceLimit = self.silenceLimit
        let auth = try JSONSerialization.data(withJSONObject: [
            "uid": 0, "roomid": route.room, "protover": 3, "platform": "web", "type": 2, "key": route.key ?? "",
        ] as [String: Any], options: [.sortedKeys])
        var config = WebSocketClientConfiguration()
        config.maxFrameSize = 1 << 20
        config.closeTimeout = .seconds(5)
        var logger = Logger(label: "anchor.bilibili")
        logger.logLevel = .critical
        try await WebSocketClient.connect(url: route.url, configuration: config, logger: logger) { inbound, outbound, _ in
            try await outbound.write(.binary(ByteBuffer(bytes: BilibiliPacket(version: .plain, operation: .auth, body: Array(auth)).encoded)))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    let beat = ByteBuffer(bytes: BilibiliPacket(version: .plain, operation: .heartbeat, body: Array("[object Object]".utf8)).encoded)
                    while true {
                        do { try await outbound.write(.binary(beat)) } catch {
                            // The connection is closing: the reader ends the session once it has read
                            // what the server sent before (the watchdog, if it never does).
                            try await Task.sleep(for: .seconds(86_400))
                        }
                        try await Task.sleep(for: heartbeat)
                    }
                }
                tasks.addTask {
                    while true {
                        try await Task.sleep(for: min(heartbeat, silenceLimit) / 2)
                        if heard.silence > silenceLimit {
                            // The reader ends once the close is answered, or at the close timeout.
                            heard.wentSilent()
                            try? await outbound.close(.goingAway, reason: "no heartbeat reply")
                            throw Self.silent
                        }
                    }
                }
                tasks.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        heard.now()
                        guard case .binary(var buffer) = message else { continue }
                        try Self.handle(buffer.readBytes(length: buffer.readableBytes) ?? [], emit: emit, connected: connected)
                    }
                }
                // Whichever ends first (the server closing, an error) ends the session.
                try await tasks.next()
                tasks.cancelAll()
            }
        }
    }

    /// One binary frame: the login's answer, notifications as events, the rest ignored.
    static func handle(_ frame: [UInt8], emit: (ViewerEvent) -> Void, connected: () -> Void) throws {
        let packets: [BilibiliPacket]
        do { packets = try BilibiliPacket.decode(frame) } catch {
            throw ConnectorFailure("the danmaku server sent a broken frame: \(error)")
        }
        for p in packets {
            switch BilibiliPacket.Operation(rawValue: p.operation) {
            case .authReply?:
                let reply = try? JSONSerialization.jsonObject(with: Data(p.body)) as? [String: Any]
                guard BilibiliEvents.int(reply?["code"]) == 0 else {
                    throw ConnectorFailure("the danmaku server refused the login (\(String(decoding: p.body.prefix(120), as: UTF8.self)))", retryAfter: 60)
                }
                connected()
            case .message?:
                if let e = BilibiliEvents.event(json: p.body, now: Date().timeIntervalSince1970) { emit(e) }
            default:
                break
            }
        }
    }

    /// When the server last sent anything.
    final class LastHeard: Sendable {
        private let at = Mutex((last: ContinuousClock.now, silent: false))
        func now() { at.withLock { $0.last = .now } }
        var silence: Duration { at.withLock { ContinuousClock.now - $0.last } }
        func wentSilent() { at.withLock { $0.silent = true } }
        var isSilent: Bool { at.withLock { $0.silent } }
    }

    /// The server given, or the room API's answer: `room_init` for the long room id,
    /// `getDanmuInfo` for the token and hosts.
    func route() async throws -> Route {
        if let server { return Route(url: server.absoluteString, room: room, key: nil) }
        let initial = try await json("room/v1/Room/room_init", [("id", String(room))])
        let long = BilibiliEvents.int((initial["data"] as? [String: Any])?["room_id"]) ?? room
        let info = try await json("xlive/web-room/v1/index/getDanmuInfo", [("id", String(long)), ("type", "0")])
        let data = info["data"] as? [String: Any]
        let hosts = data?["host_list"] as? [[String: Any]] ?? []
        let secure = api.scheme == "https"
        guard let host = hosts.first, let name = host["host"] as? String,
              let port = BilibiliEvents.int(host[secure ? "wss_port" : "ws_port"]) else {
            throw ConnectorFailure("the room API gave no danmaku host for room \(long)", retryAfter: 60)
        }
        return Route(url: "\(secure ? "wss" : "ws")://\(name):\(port)/sub", room: long, key: data?["token"] as? String)
    }

    /// A room API call: `{"code": 0, "data": …}`, anything else a failure with its message.
    private func json(_ path: String, _ query: [(String, String)]) async throws -> [String: Any] {
        var c = URLComponents(url: api.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        c.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        let r = try await fetch.get(c.url!)
        guard r.status == 200 else { throw ConnectorFailure("the room API answered \(r.status) to \(path)", retryAfter: r.status >= 500 ? nil : 60) }
        guard let root = try? JSONSerialization.jsonObject(with: r.body) as? [String: Any] else {
            throw ConnectorFailure("the room API sent JSON anchor cannot read (\(path))")
        }
        guard BilibiliEvents.int(root["code"]) == 0 else {
            let said = (root["message"] as? String).map { String($0.prefix(120)) } ?? ""
            throw ConnectorFailure("the room API refused room \(room): \(BilibiliEvents.int(root["code"]) ?? -1) \(said)", retryAfter: 60)
        }
        return root
    }
}
