import AnchorChat
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

/// The control port's routes, built from the channels it serves (tested in process).
enum ControlRouter {
    typealias Context = BasicRequestContext

    /// Where a channel's routes live (a single channel's are also at `/`).
    static func base(of room: ControlServer.Room) -> String { "/channels/" + room.name }

    static func make(rooms: [ControlServer.Room], station: Bool, endpoint: ControlEndpoint, metrics: @escaping @Sendable () -> String,
                     isStopping: @escaping @Sendable () -> Bool) -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: OriginCheck(loopback: endpoint.isLoopback))
        let signature = endpoint.eventsSecret.map(WebhookSignature.init(secret:))
        if let token = endpoint.token {
            let signed = station ? rooms.map { base(of: $0) + "/events" } : ["/events"] + rooms.map { base(of: $0) + "/events" }
            router.add(middleware: TokenCheck(token: token, openReads: endpoint.isLoopback, signedPaths: signature == nil ? [] : Set(signed)))
        }
        for room in rooms {
            if let folder = room.recordings {
                if !station { router.add(middleware: FileMiddleware(folder, urlBasePath: "/recordings", logger: ControlServer.quietLogger)) }
                router.add(middleware: FileMiddleware(folder, urlBasePath: base(of: room) + "/recordings", logger: ControlServer.quietLogger))
            }
        }
        let boards = rooms.map(\.board)
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: metrics())))
        }
        // Liveness: every frame loop that started still turns. Readiness: every channel on air with a live destination.
        router.get("/healthz") { _, _ in try probe(boards.compactMap { b in b.current.healthProblem().map { "\(b.current.channel): \($0)" } }) }
        router.get("/readyz") { _, _ in try probe(boards.compactMap { b in b.current.readinessProblem().map { "\(b.current.channel): \($0)" } }) }

        let openReads = endpoint.isLoopback
        for room in rooms {
            let prefix = base(of: room)
            addRoutes(to: router.group(RouterPath(prefix)), room: room, base: prefix, signature: signature, openReads: openReads, isStopping: isStopping)
        }
        if station {
            router.get("/") { _, _ in ControlServer.html(StationPage.render(boards.map(\.current))) }
            router.get("/status") { _, _ in try ControlServer.json(boards.map(\.current)) }
        } else if let room = rooms.first {
            addRoutes(to: router, room: room, base: "", signature: signature, openReads: openReads, isStopping: isStopping)
        }
        return router
    }

    static func json(_ value: some Encodable, _ status: HTTPResponse.Status) throws -> Response { try ControlServer.json(value, status: status) }
    static func html(_ page: String) -> Response { ControlServer.html(page) }

    /// 200 `ok`, or 503 with each problem on a line.
    static func probe(_ problems: [String]) throws -> Response {
        let text = problems.isEmpty ? "ok\n" : problems.joined(separator: "\n") + "\n"
        return Response(status: problems.isEmpty ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// One channel's page, status, picture, replay, chat, events and commands, under `base`.
    static func addRoutes(to r: some RouterMethods<Context>, room: ControlServer.Room, base: String, signature: WebhookSignature?, openReads: Bool,
                          isStopping: @escaping @Sendable () -> Bool) {
        let (board, control, air, catalog) = (room.board, room.control, room.air, room.catalog)
        r.get("/") { _, _ in html(ConsolePage.render(board.current, openReads: openReads, base: base)) }
        r.get("/status.html") { _, _ in html(StatusPage.render(board.current, base: base)) }
        r.get("/console/feed") { _, _ in ConsoleFeed.response(board: board, stopped: isStopping) }
        r.get("/status") { _, _ in try json(board.current, .ok) }
        r.get("/thumbnail.png") { _, _ -> Response in
            guard let png = board.thumbnailPNG else { return Response(status: .noContent) }
            return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: png)))
        }
        r.get("/replay") { request, _ -> Response in
            // A browser gets the page; a script (curl, a dashboard) the index as JSON, as before.
            if request.headers[.accept]?.contains("text/html") == true { return html(ReplayPage.render(data: nil, base: base)) }
            return try json((try air?.moments()) ?? [], .ok)
        }
        r.get("/replay.json") { _, _ in
            try json(ReplayPage.Data(moments: (try air?.moments()) ?? [], catalog: catalog, mediaBase: base + "/recordings/"), .ok)
        }
        r.post("/chat") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let chat = board.chat else { return try json(["error": "chat is off"], .serviceUnavailable) }
            guard let m = ControlServer.message(from: body) else {
                return try json(["error": "send JSON {\"user\": \"…\", \"text\": \"…\"}"], .badRequest)
            }
            chat.post(m)
            return try json(["queued": true], .accepted)
        }
        r.post("/events") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            // A signed webhook: the signature must be right (the token check let it through for that).
            if let signed = request.headers[.init(WebhookSignature.header)!] {
                guard let signature, signature.verify(signed, body: Data(buffer: body)) else {
                    return try json(["error": "bad signature: send X-Anchor-Signature: sha256=HMAC-SHA256(secret, body) in hex"], .unauthorized)
                }
            }
            guard let chat = board.chat else { return try json(["error": "chat is off"], .serviceUnavailable) }
            switch ControlServer.events(from: body) {
            case .success(let events):
                for e in events { chat.post(e) }
                return try json(["queued": events.count], .accepted)
            case .failure(let e):
                return try json(["error": e.description], .badRequest)
            }
        }
        let analytics = board.analytics
        let simple: [(path: String, command: LiveControl.Request, detail: String, ok: String)] = [
            ("/skip", .skipSegment, "skip", "skipping to the next segment"),
            ("/pause", .pause, "pause", "pausing at the next word"),
            ("/resume", .resume, "resume", "resuming"),
            ("/pin", .pinLink, "pin", "the link is pinned"),
        ]
        for c in simple {
            r.post(RouterPath(c.path)) { _, _ in
                control.send(c.command); analytics?.record(.control, detail: c.detail)
                return try json(["ok": c.ok], .ok)
            }
        }
        r.post("/say") { request, _ -> Response in
            guard let body = await ControlServer.decode(ControlServer.SayRequest.self, from: request) else {
                return try json(["error": "send JSON {\"text\": \"…\"}"], .badRequest)
            }
            let text = body.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= 300 else { return try json(["error": "say 1 to 300 characters"], .badRequest) }
            control.send(.say(text)); analytics?.record(.control, detail: "say", text: text)
            return try json(["ok": "the host says it at the next word"], .ok)
        }
        r.post("/unblock") { request, _ -> Response in
            guard let chat = board.chat else { return try json(["error": "chat is off"], .serviceUnavailable) }
            guard let body = await ControlServer.decode(ControlServer.UnblockRequest.self, from: request) else {
                return try json(["error": "send JSON {\"id\": N} (an id from /console/feed's blocked list)"], .badRequest)
            }
            switch chat.unblock(id: body.id) {
            case .success(let term):
                analytics?.record(.control, detail: "unblock", text: term)
                return try json(["ok": "'\(term)' is no longer blocked tonight; the message is answered now"], .ok)
            case .failure(let e):
                return try json(["error": e.description], e == .unknown(body.id) ? .notFound : .unprocessableContent)
            }
        }
        r.post("/faq") { request, _ -> Response in
            guard let chat = board.chat else { return try json(["error": "chat is off"], .serviceUnavailable) }
            guard let body = await ControlServer.decode(ControlServer.FAQRequest.self, from: request) else {
                return try json(["error": "send JSON {\"question\": \"…\", \"answer\": \"…\", \"sku\": \"…\"}"], .badRequest)
            }
            let question = body.question.trimmingCharacters(in: .whitespacesAndNewlines), answer = body.answer.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !question.isEmpty, !answer.isEmpty, answer.count <= 1000 else { return try json(["error": "give a question and an answer (at most 1000 characters)"], .badRequest) }
            guard let sku = body.sku ?? board.current.productSKU ?? chat.skus.first, chat.skus.contains(sku) else {
                return try json(["error": "no product '\(body.sku ?? "")' in the catalog"], .unprocessableContent)
            }
            try chat.add(faq: .init(question: question, answer: answer), sku: sku)
            // Kept with the state: later nights answer it too.
            if let analytics {
                try analytics.log.add(.init(productSku: sku, question: question, answer: answer))
                analytics.record(.control, productSku: sku, detail: "faq", text: question)
            }
            board.resolveUnanswered(question)
            return try json(["ok": "added to \(sku)'s FAQ; the next viewer who asks gets it"], .ok)
        }
        r.post("/reload") { _, _ -> Response in
            guard let station = board.station else { return try json(["error": "no schedule"], .serviceUnavailable) }
            let s = board.current
            switch station.reload(s.show, at: s.position) {
            case .success(let p):
                control.send(.switchTo(p))
                return try json(["ok": "reloaded \(p.id); it takes over at the next word"], .ok)
            case .failure(let problem):
                return try json(["error": problem.description], .unprocessableContent)
            }
        }
    }

    /// WebSockets: at `…/chat/ws` each text message is one chat message ({"user", "text"} or
    /// plain text); at `…/events/ws` one viewer event (or a JSON array of them).
    static func webSocketUpgrade(rooms: [ControlServer.Room], station: Bool, endpoint: ControlEndpoint)
        -> @Sendable (HTTPRequest, any NIOCore.Channel, Logger) throws -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let token = endpoint.token, loopback = endpoint.isLoopback
        var chats: [String: LiveChat] = [:]
        for room in rooms {
            guard let chat = room.board.chat else { continue }
            chats[base(of: room)] = chat
            if !station { chats[""] = chat }
        }
        let byBase = chats
        return { request, _, _ in
            let path = String(request.path?.split(separator: "?").first ?? "")
            let isEvents = path.hasSuffix("/events/ws")
            let suffix = isEvents ? "/events/ws" : "/chat/ws"
            guard path.hasSuffix(suffix), let chat = byBase[String(path.dropLast(suffix.count))] else { return .dontUpgrade }
            if let token, !ControlServer.authorized(request, token: token) { return .dontUpgrade }
            // A browser sends its page's Origin on a WebSocket; a page of another site is refused.
            guard CrossSite.allows(authority: request.authority, origin: request.headerFields[.origin], loopback: loopback, isCommand: true) else {
                return .dontUpgrade
            }
            return .upgrade([:]) { inbound, outbound, _ in
                for try await message in inbound.messages(maxSize: 64 * 1024) {
                    if isEvents {
                        guard case .text(let text) = message else { continue }
                        switch ControlServer.events(from: ByteBuffer(string: text)) {
                        case .success(let events):
                            for e in events { chat.post(e) }
                            try await outbound.write(.text(#"{"queued":\#(events.count)}"#))
                        case .failure(let e):
                            let quoted = String(data: (try? JSONEncoder().encode(e.description)) ?? Data(), encoding: .utf8) ?? "\"\""
                            try await outbound.write(.text(#"{"error":\#(quoted)}"#))
                        }
                        continue
                    }
                    guard case .text(let text) = message, let m = ControlServer.message(from: ByteBuffer(string: text)) else {
                        try await outbound.write(.text(#"{"error":"send {\"user\": \"…\", \"text\": \"…\"} as text"}"#))
                        continue
                    }
                    chat.post(m)
                    try await outbound.write(.text(#"{"queued":true}"#))
                }
            }
        }
    }
}
