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

/// The control port (Hummingbird): the operator console (a live page fed by Server-Sent
/// Events), JSON status, Prometheus metrics, health and readiness, the replay page and index
/// with the recordings, and commands: inject chat (POST or a WebSocket), skip a segment, pause,
/// resume, reload, pin the link, say a line now, let a blocked message through, add an FAQ entry.
///
/// One channel's routes are at `/` (and `/channels/NAME/`); a station's channels each at
/// `/channels/NAME/`, with the station's page at `/`.
public final class ControlServer: Sendable {
    /// One channel as the control port sees it.
    public struct Room: Sendable {
        public var name: String
        public var board: Board
        public var control: LiveControl
        public var air: AirLog?
        /// The recordings folder, served at `…/recordings/` for the replay page.
        public var recordings: String?
        public var catalog: Catalog

        public init(name: String, board: Board, control: LiveControl, air: AirLog?, recordings: String? = nil, catalog: Catalog = Catalog()) {
            self.name = name
            self.board = board
            self.control = control
            self.air = air
            self.recordings = recordings
            self.catalog = catalog
        }

        public init(_ channel: Channel) {
            self.init(name: channel.name, board: channel.board, control: channel.control, air: channel.air, recordings: channel.recordings, catalog: channel.catalog)
        }
    }

    public let endpoint: ControlEndpoint
    let rooms: [Room]
    /// Several channels: `/` is the station's page.
    let isStation: Bool
    let metrics: @Sendable () -> String
    private let lifecycle = Mutex<(group: ServiceGroup?, stopped: Bool)>((nil, false))
    /// Connections per peer address (a browser opens ~6; a dashboard a few more).
    let connections = ConnectionLimit(perPeer: 32)
    /// Connections in all, far below the descriptors the process is given (see `FileLimit`).
    static let maxConnections = 256

    /// How long a connection may stay silent (also in the middle of sending a request).
    let idleTimeout: TimeAmount

    public init(endpoint: ControlEndpoint, rooms: [Room], station: Bool, idleTimeout: Duration = .seconds(15), metrics: @escaping @Sendable () -> String) {
        self.idleTimeout = .nanoseconds(Int64(idleTimeout.components.seconds) * 1_000_000_000 + idleTimeout.components.attoseconds / 1_000_000_000)
        self.endpoint = endpoint
        self.rooms = rooms
        self.isStation = station
        self.metrics = metrics
    }

    /// One channel's control port.
    public convenience init(endpoint: ControlEndpoint, board: Board, control: LiveControl, air: AirLog?, recordings: String? = nil, catalog: Catalog = Catalog(),
                            idleTimeout: Duration = .seconds(15), metrics: @escaping @Sendable () -> String) {
        self.init(endpoint: endpoint, rooms: [Room(name: board.current.channel, board: board, control: control, air: air, recordings: recordings, catalog: catalog)],
                  station: false, idleTimeout: idleTimeout, metrics: metrics)
    }

    var isStopping: @Sendable () -> Bool { { [self] in lifecycle.withLock { $0.stopped } } }

    /// Serves until cancelled or `shutdown()`; `ready` is called with the bound port once it listens.
    public func run(ready: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let app = application(ready: ready)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: Self.quietLogger))
        let stopped = lifecycle.withLock { l in l.group = group; return l.stopped }
        if stopped { return }
        try await group.run()
    }

    /// Serves as one service of the caller's `ServiceGroup` (graceful shutdown ends it) once
    /// `after` returns: the port opens when the channels are on air.
    /// A port that cannot open is logged; the channels air on without it.
    public func service(after: @escaping @Sendable () async -> Void = {}, logger: Logger, ready: @escaping @Sendable (Int) -> Void) -> some Service {
        ControlService(server: self, after: after, logger: logger, ready: ready)
    }

    struct ControlService: Service {
        let server: ControlServer
        let after: @Sendable () async -> Void
        let logger: Logger
        let ready: @Sendable (Int) -> Void

        func run() async throws {
            await after()
            let app = server.application(ready: ready)
            // Live feeds (Server-Sent Events) end when told to, so the server can finish.
            do {
                try await withGracefulShutdownHandler {
                    try await app.run()
                } onGracefulShutdown: { [server] in server.lifecycle.withLock { $0.stopped = true } }
            } catch {
                let at = server.endpoint
                logger.error("control port \(at.host):\(at.port) failed: \(error)")
            }
        }
    }

    /// The Hummingbird application: the router, WebSocket upgrades and connection limits.
    func application(ready: @escaping @Sendable (Int) -> Void) -> some Service {
        let router = ControlRouter.make(rooms: rooms, station: isStation, endpoint: endpoint, metrics: metrics, isStopping: isStopping)
        let idle = idleTimeout, limit = connections
        let upgrade = ControlRouter.webSocketUpgrade(rooms: rooms, station: isStation, endpoint: endpoint)
        // Idle connections (and requests sent half-way) are closed after `idleTimeout`; one peer holds at
        // most `perPeer` connections and the port at most `maxConnections` (past it, new ones
        // wait in the kernel's backlog, using no descriptor of ours).
        let server = HTTPServerBuilder { responder in
            LimitedChildChannel(base: HTTP1WebSocketUpgradeChannel(
                responder: responder, configuration: .init(http1: .init(idleTimeout: idle), ws: .init(autoPing: .enabled(timePeriod: .seconds(10)))),
                shouldUpgrade: upgrade), limit: limit, idleTimeout: idle)
        }
        return Application(router: router, server: server, configuration: .init(address: .hostname(endpoint.host, port: endpoint.port), serverName: "anchor",
                           availableConnectionsDelegate: MaximumAvailableConnections(Self.maxConnections, logger: Self.quietLogger)),
                           onServerRunning: { channel in ready(channel.localAddress?.port ?? 0) }, logger: Self.quietLogger)
    }

    /// Hummingbird's own logger, at warning: `anchor run` already says where the port listens,
    /// and a request log at info would fill an all-night log with every status poll.
    static var quietLogger: Logger {
        var logger = Logger(label: "anchor.control")
        logger.logLevel = .warning
        return logger
    }

    /// Stops listening; requests being served finish first.
    public func shutdown() async {
        await lifecycle.withLock { l in l.stopped = true; return l.group }?.triggerGracefulShutdown()
    }

    // Commands' JSON bodies.
    struct SayRequest: Decodable { var text: String }
    struct UnblockRequest: Decodable { var id: Int }
    struct FAQRequest: Decodable { var question: String; var answer: String; var sku: String? }

    /// A command's JSON body (at most 16 KB), or nil when it is not that.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async -> T? {
        guard let body = try? await request.body.collect(upTo: 16 * 1024) else { return nil }
        return try? JSONDecoder().decode(type, from: Data(buffer: body))
    }

    /// `POST /chat`'s JSON body.
    struct ChatRequest: Decodable { var user: String?; var text: String?; var platform: String? }

    /// A chat message from `{"user", "text"}` JSON (or a plain-text body from "web").
    static func message(from body: ByteBuffer) -> ChatMessage? {
        let data = Data(buffer: body)
        let now = Date().timeIntervalSince1970
        if let r = try? JSONDecoder().decode(ChatRequest.self, from: data) {
            guard let text = r.text else { return nil }
            let user = r.user.flatMap { $0.isEmpty ? nil : String($0.prefix(64)) } ?? "web"
            return ChatMessage(platform: r.platform ?? "http", user: user, text: text, time: now)
        }
        // An object that is not a chat request is refused, not read out as text.
        if data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") { return nil }
        guard let text = String(data: data, encoding: .utf8), !text.isEmpty else { return nil }
        return ChatMessage(platform: "http", user: "web", text: text, time: now)
    }

    /// Viewer events from JSON: one object, an array, or one object a line (at most 10 000).
    static func events(from body: ByteBuffer) -> Result<[ViewerEvent], ViewerEvent.FormatError> {
        do {
            let events = try ViewerEvent.parse(json: Data(buffer: body), time: Date().timeIntervalSince1970, platform: "http")
            guard !events.isEmpty else { return .failure(.init(description: "no events: send {\"type\": \"gift\", \"user\": \"…\", …}")) }
            guard events.count <= 10_000 else { return .failure(.init(description: "at most 10000 events a request")) }
            // A live event happens now, whatever time the sender put on it.
            return .success(events.map { var e = $0; e.time = Date().timeIntervalSince1970; return e })
        } catch {
            return .failure(error)
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func html(_ page: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}

extension ControlServer {
    /// The WebSocket upgrade request carries the token as a bearer header or `?token=`.
    static func authorized(_ request: HTTPRequest, token: String) -> Bool {
        if let header = request.headerFields[.authorization], header == "Bearer " + token { return true }
        guard let path = request.path, let query = path.split(separator: "?", maxSplits: 1).dropFirst().first else { return false }
        return query.split(separator: "&").contains { $0 == "token=" + token }
    }
}

/// Requires `Authorization: Bearer TOKEN` (or `?token=TOKEN` for a browser); with `openReads`
/// (loopback), GET requests pass without it. The probes and metrics never need it: a kubelet
/// and a Prometheus scraper carry no token, and they tell states and counts — never viewers'
/// text, ingest keys or commands.
struct TokenCheck<Context: RequestContext>: RouterMiddleware {
    static var openPaths: Set<String> { ["/healthz", "/readyz", "/metrics"] }
    let token: String
    let openReads: Bool
    /// Routes that check a webhook signature themselves when the request carries one.
    var signedPaths: Set<String> = []

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openReads || Self.openPaths.contains(request.uri.path), request.method == .get || request.method == .head { return try await next(request, context) }
        if request.method == .post, signedPaths.contains(request.uri.path), request.headers[.init(WebhookSignature.header)!] != nil {
            return try await next(request, context)
        }
        let bearer = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 }
        guard bearer == token || request.uri.queryParameters.get("token") == token else {
            return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"], body: .init(byteBuffer: ByteBuffer(string: "token required\n")))
        }
        return try await next(request, context)
    }
}

/// Refuses what a web page of another site can make the seller's browser send: on loopback, a
/// Host that is not a loopback name (DNS rebinding); everywhere, a command whose Origin is not
/// this server.
struct OriginCheck<Context: RequestContext>: RouterMiddleware {
    let loopback: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let isCommand = request.method != .get && request.method != .head
        guard CrossSite.allows(authority: request.head.authority, origin: request.headers[.origin], loopback: loopback, isCommand: isCommand) else {
            return Response(status: .forbidden, body: .init(byteBuffer: ByteBuffer(string: "cross-site request refused\n")))
        }
        return try await next(request, context)
    }
}

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
