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
/// Events), JSON status, Prometheus metrics, the replay page and index with the recordings, and
/// commands: inject chat (POST or a WebSocket), skip a segment, pause, resume, reload, pin the
/// link, say a line now, let a blocked message through, add an FAQ entry.
public final class ControlServer: Sendable {
    public let endpoint: ControlEndpoint
    let board: Board
    let control: LiveControl
    let air: AirLog?
    /// The recordings folder, served at `/recordings/` for the replay page.
    let recordings: String?
    let catalog: Catalog
    let metrics: @Sendable () -> String
    private let lifecycle = Mutex<(group: ServiceGroup?, stopped: Bool)>((nil, false))
    /// Connections per peer address (a browser opens ~6; a dashboard a few more).
    let connections = ConnectionLimit(perPeer: 32)
    /// Connections in all, far below the descriptors the process is given (see `FileLimit`).
    static let maxConnections = 256

    /// How long a connection may stay silent (also in the middle of sending a request).
    let idleTimeout: TimeAmount

    public init(endpoint: ControlEndpoint, board: Board, control: LiveControl, air: AirLog?, recordings: String? = nil, catalog: Catalog = Catalog(),
                idleTimeout: Duration = .seconds(15), metrics: @escaping @Sendable () -> String) {
        self.recordings = recordings
        self.catalog = catalog
        self.idleTimeout = .nanoseconds(Int64(idleTimeout.components.seconds) * 1_000_000_000 + idleTimeout.components.attoseconds / 1_000_000_000)
        self.endpoint = endpoint
        self.board = board
        self.control = control
        self.air = air
        self.metrics = metrics
    }

    /// Serves until cancelled; `ready` is called with the bound port once it listens.
    public func run(ready: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let router = Router()
        router.add(middleware: OriginCheck(loopback: endpoint.isLoopback))
        let signature = endpoint.eventsSecret.map(WebhookSignature.init(secret:))
        if let token = endpoint.token {
            router.add(middleware: TokenCheck(token: token, openReads: endpoint.isLoopback, signedPath: signature == nil ? nil : "/events"))
        }
        if let recordings { router.add(middleware: FileMiddleware(recordings, urlBasePath: "/recordings", logger: Self.quietLogger)) }
        let board = self.board, control = self.control, air = self.air, metrics = self.metrics, catalog = self.catalog
        let isStopping: @Sendable () -> Bool = { [self] in lifecycle.withLock { $0.stopped } }

        let openReads = endpoint.isLoopback
        router.get("/") { _, _ in Self.html(ConsolePage.render(board.current, openReads: openReads)) }
        router.get("/status.html") { _, _ in Self.html(StatusPage.render(board.current)) }
        router.get("/console/feed") { _, _ in ConsoleFeed.response(board: board, stopped: isStopping) }
        router.get("/status") { _, _ in try Self.json(board.current) }
        router.get("/thumbnail.png") { _, _ -> Response in
            guard let png = board.thumbnailPNG else { return Response(status: .noContent) }
            return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: png)))
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: metrics())))
        }
        router.get("/replay") { request, _ -> Response in
            // A browser gets the page; a script (curl, a dashboard) the index as JSON, as before.
            if request.headers[.accept]?.contains("text/html") == true { return Self.html(ReplayPage.render(data: nil)) }
            return try Self.json((try air?.moments()) ?? [])
        }
        router.get("/replay.json") { _, _ in try Self.json(ReplayPage.Data(moments: (try air?.moments()) ?? [], catalog: catalog, mediaBase: "/recordings/")) }
        router.post("/chat") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let chat = board.chat else { return try Self.json(["error": "chat is off"], status: .serviceUnavailable) }
            guard let m = Self.message(from: body) else {
                return try Self.json(["error": "send JSON {\"user\": \"…\", \"text\": \"…\"}"], status: .badRequest)
            }
            chat.post(m)
            return try Self.json(["queued": true], status: .accepted)
        }
        router.post("/events") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            // A signed webhook: the signature must be right (the token check let it through for that).
            if let signed = request.headers[.init(WebhookSignature.header)!] {
                guard let signature, signature.verify(signed, body: Data(buffer: body)) else {
                    return try Self.json(["error": "bad signature: send X-Anchor-Signature: sha256=HMAC-SHA256(secret, body) in hex"], status: .unauthorized)
                }
            }
            guard let chat = board.chat else { return try Self.json(["error": "chat is off"], status: .serviceUnavailable) }
            switch Self.events(from: body) {
            case .success(let events):
                for e in events { chat.post(e) }
                return try Self.json(["queued": events.count], status: .accepted)
            case .failure(let e):
                return try Self.json(["error": e.description], status: .badRequest)
            }
        }
        let analytics = board.analytics
        router.post("/skip") { _, _ in
            control.send(.skipSegment); analytics?.record(.control, detail: "skip")
            return try Self.json(["ok": "skipping to the next segment"])
        }
        router.post("/pause") { _, _ in
            control.send(.pause); analytics?.record(.control, detail: "pause")
            return try Self.json(["ok": "pausing at the next word"])
        }
        router.post("/resume") { _, _ in
            control.send(.resume); analytics?.record(.control, detail: "resume")
            return try Self.json(["ok": "resuming"])
        }
        router.post("/pin") { _, _ in
            control.send(.pinLink); analytics?.record(.control, detail: "pin")
            return try Self.json(["ok": "the link is pinned"])
        }
        router.post("/say") { request, _ -> Response in
            guard let r = await Self.decode(SayRequest.self, from: request) else {
                return try Self.json(["error": "send JSON {\"text\": \"…\"}"], status: .badRequest)
            }
            let text = r.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= 300 else { return try Self.json(["error": "say 1 to 300 characters"], status: .badRequest) }
            control.send(.say(text)); analytics?.record(.control, detail: "say", text: text)
            return try Self.json(["ok": "the host says it at the next word"])
        }
        router.post("/unblock") { request, _ -> Response in
            guard let chat = board.chat else { return try Self.json(["error": "chat is off"], status: .serviceUnavailable) }
            guard let r = await Self.decode(UnblockRequest.self, from: request) else {
                return try Self.json(["error": "send JSON {\"id\": N} (an id from /console/feed's blocked list)"], status: .badRequest)
            }
            switch chat.unblock(id: r.id) {
            case .success(let term):
                analytics?.record(.control, detail: "unblock", text: term)
                return try Self.json(["ok": "'\(term)' is no longer blocked tonight; the message is answered now"])
            case .failure(let e):
                return try Self.json(["error": e.description], status: e == .unknown(r.id) ? .notFound : .unprocessableContent)
            }
        }
        router.post("/faq") { request, _ -> Response in
            guard let chat = board.chat else { return try Self.json(["error": "chat is off"], status: .serviceUnavailable) }
            guard let r = await Self.decode(FAQRequest.self, from: request) else {
                return try Self.json(["error": "send JSON {\"question\": \"…\", \"answer\": \"…\", \"sku\": \"…\"}"], status: .badRequest)
            }
            let question = r.question.trimmingCharacters(in: .whitespacesAndNewlines), answer = r.answer.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !question.isEmpty, !answer.isEmpty, answer.count <= 1000 else { return try Self.json(["error": "give a question and an answer (at most 1000 characters)"], status: .badRequest) }
            guard let sku = r.sku ?? board.current.productSKU ?? chat.skus.first, chat.skus.contains(sku) else {
                return try Self.json(["error": "no product '\(r.sku ?? "")' in the catalog"], status: .unprocessableContent)
            }
            try chat.add(faq: .init(question: question, answer: answer), sku: sku)
            // Kept with the state: later nights answer it too.
            if let analytics {
                try analytics.log.add(.init(productSku: sku, question: question, answer: answer))
                analytics.record(.control, productSku: sku, detail: "faq", text: question)
            }
            board.resolveUnanswered(question)
            return try Self.json(["ok": "added to \(sku)'s FAQ; the next viewer who asks gets it"])
        }
        router.post("/reload") { _, _ -> Response in
            guard let station = board.station else { return try Self.json(["error": "no schedule"], status: .serviceUnavailable) }
            let s = board.current
            switch station.reload(s.show, at: s.position) {
            case .success(let p):
                control.send(.switchTo(p))
                return try Self.json(["ok": "reloaded \(p.id); it takes over at the next word"])
            case .failure(let problem):
                return try Self.json(["error": problem.description], status: .unprocessableContent)
            }
        }

        // WebSockets: at /chat/ws each text message is one chat message ({"user", "text"} or plain
        // text); at /events/ws one viewer event (or a JSON array of them).
        let token = endpoint.token, loopback = endpoint.isLoopback
        let limit = connections
        // Idle connections (and requests sent half-way) are closed after `idleTimeout`; one peer holds at
        // most `perPeer` connections and the port at most `maxConnections` (past it, new ones
        // wait in the kernel's backlog, using no descriptor of ours).
        let idle = idleTimeout
        let shouldUpgrade: @Sendable (HTTPRequest, any Channel, Logger) throws -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> = { request, _, _ in
            let path = request.path?.split(separator: "?").first
            guard path == "/chat/ws" || path == "/events/ws", let chat = board.chat else { return .dontUpgrade }
            let isEvents = path == "/events/ws"
            if let token, !Self.authorized(request, token: token) { return .dontUpgrade }
            // A browser sends its page's Origin on a WebSocket; a page of another site is refused.
            guard CrossSite.allows(authority: request.authority, origin: request.headerFields[.origin], loopback: loopback, isCommand: true) else {
                return .dontUpgrade
            }
            return .upgrade([:]) { inbound, outbound, _ in
                for try await message in inbound.messages(maxSize: 64 * 1024) {
                    if isEvents {
                        guard case .text(let text) = message else { continue }
                        switch Self.events(from: ByteBuffer(string: text)) {
                        case .success(let events):
                            for e in events { chat.post(e) }
                            try await outbound.write(.text(#"{"queued":\#(events.count)}"#))
                        case .failure(let e):
                            let quoted = String(data: (try? JSONEncoder().encode(e.description)) ?? Data(), encoding: .utf8) ?? "\"\""
                            try await outbound.write(.text(#"{"error":\#(quoted)}"#))
                        }
                        continue
                    }
                    guard case .text(let text) = message, let m = Self.message(from: ByteBuffer(string: text)) else {
                        try await outbound.write(.text(#"{"error":"send {\"user\": \"…\", \"text\": \"…\"} as text"}"#))
                        continue
                    }
                    chat.post(m)
                    try await outbound.write(.text(#"{"queued":true}"#))
                }
            }
        }
        let server = HTTPServerBuilder { responder in
            LimitedChildChannel(base: HTTP1WebSocketUpgradeChannel(
                responder: responder, configuration: .init(http1: .init(idleTimeout: idle), ws: .init(autoPing: .enabled(timePeriod: .seconds(10)))),
                shouldUpgrade: shouldUpgrade), limit: limit, idleTimeout: idle)
        }
        let app = Application(router: router, server: server, configuration: .init(address: .hostname(endpoint.host, port: endpoint.port), serverName: "anchor",
                                availableConnectionsDelegate: MaximumAvailableConnections(Self.maxConnections, logger: Self.quietLogger)),
        onServerRunning: { channel in ready(channel.localAddress?.port ?? 0) }, logger: Self.quietLogger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: app.logger))
        let stopped = lifecycle.withLock { l in l.group = group; return l.stopped }
        if stopped { return }
        try await group.run()
    }

    /// Hummingbird's own logger, at warning: `anchor run` already says where the port listens,
    /// and a request log at info would fill an all-night log with every status poll.
    private static var quietLogger: Logger {
        var logger = Logger(label: "anchor.control")
        logger.logLevel = .warning
        return logger
    }

    /// Stops listening; requests being served finish first.
    public func shutdown() async {
        await lifecycle.withLock { l in l.stopped = true; return l.group }?.triggerGracefulShutdown()
    }

    struct SayRequest: Decodable { var text: String }
    struct UnblockRequest: Decodable { var id: Int }
    struct FAQRequest: Decodable { var question: String; var answer: String; var sku: String? }

    /// A command's JSON body (at most 16 KB), or nil when it is not that.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async -> T? {
        guard let body = try? await request.body.collect(upTo: 16 * 1024) else { return nil }
        return try? JSONDecoder().decode(type, from: Data(buffer: body))
    }

    /// A chat message from `{"user", "text"}` JSON (or a plain-text body from "web").
    static func message(from body: ByteBuffer) -> ChatMessage? {
        let data = Data(buffer: body)
        if let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            guard let text = o["text"] as? String else { return nil }
            let user = (o["user"] as? String).flatMap { $0.isEmpty ? nil : String($0.prefix(64)) } ?? "web"
            return ChatMessage(platform: o["platform"] as? String ?? "http", user: user, text: text, time: Date().timeIntervalSince1970)
        }
        guard let text = String(data: data, encoding: .utf8), !text.isEmpty else { return nil }
        return ChatMessage(platform: "http", user: "web", text: text, time: Date().timeIntervalSince1970)
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
/// (loopback), GET requests pass without it.
struct TokenCheck<Context: RequestContext>: RouterMiddleware {
    let token: String
    let openReads: Bool
    /// A route that checks a webhook signature itself when the request carries one.
    var signedPath: String? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openReads, request.method == .get || request.method == .head { return try await next(request, context) }
        if let signedPath, request.method == .post, request.uri.path == signedPath, request.headers[.init(WebhookSignature.header)!] != nil {
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
