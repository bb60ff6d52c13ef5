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
