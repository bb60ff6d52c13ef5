import AnchorChat
import AnchorCore
@testable import AnchorEngine
import AnchorTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HummingbirdWSClient
import Logging
import Testing

/// The control port in process: chat over a WebSocket, and the token it wants off loopback.
/// Serialized: the flood test counts the connections the server holds.
@Suite(.serialized) struct ControlServerTests {
    func serve(token: String?, eventsSecret: String? = nil, idleTimeout: Duration = .seconds(15)) async throws -> (ControlServer, LiveChat, Int, Task<Void, Error>) {
        let responder = Responder(index: try FactIndex(catalog: Catalog()), rules: try RuleBook.load(TestSupport.path("Scripts/default.rules.yaml")))
        let chat = LiveChat(responder: responder)
        let board = Board(channel: "test", station: nil, chat: chat)
        let port = try TestSupport.freePort()
        var endpoint = try #require(try ControlEndpoint("127.0.0.1:\(port)", token: token))
        endpoint.eventsSecret = eventsSecret
        let server = ControlServer(endpoint: endpoint, board: board, control: LiveControl(), air: nil, idleTimeout: idleTimeout, metrics: { "" })
        let (stream, ready) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run { ready.yield($0) } }
        for await _ in stream { break }
        return (server, chat, port, task)
    }

    func send(_ text: String, to url: String) async throws -> String? {
        let reply = Reply()
        try await WebSocketClient.connect(url: url, logger: Logger(label: "test")) { inbound, outbound, _ in
            try await outbound.write(.text(text))
            for try await message in inbound.messages(maxSize: 1 << 16) {
                if case .text(let s) = message { reply.text = s }
                break
            }
        }
        return reply.text
    }

    final class Reply: @unchecked Sendable { var text: String? }

    @Test func chatArrivesOverAWebSocket() async throws {
        let (server, chat, port, task) = try await serve(token: nil)
        let answer = try await send(#"{"user": "ann", "text": "hello!"}"#, to: "ws://127.0.0.1:\(port)/chat/ws")
        #expect(answer?.contains("queued") == true)
        let bad = try await send("", to: "ws://127.0.0.1:\(port)/chat/ws")
        #expect(bad?.contains("error") == true)
        #expect(chat.stats.received == 1)
        await server.shutdown()
        _ = await task.result
    }

    @Test func theWebSocketWantsTheToken() async throws {
        let (server, chat, port, task) = try await serve(token: "s3cret")
        await #expect(throws: (any Error).self) { _ = try await send("hi", to: "ws://127.0.0.1:\(port)/chat/ws") }
        _ = try await send("hi", to: "ws://127.0.0.1:\(port)/chat/ws?token=s3cret")
        #expect(chat.stats.received == 1)
        await server.shutdown()
        _ = await task.result
    }

    /// The HTTP status of a request made with curl, with extra headers. curl runs on a Dispatch
    /// thread: blocking one of the cooperative pool's few threads, which the server's handlers
    /// need too, timed requests out when the whole suite ran at once.
    func status(_ method: String, _ url: String, _ headers: [String] = []) async throws -> String {
        let args = ["-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", "-X", method] + headers.flatMap { ["-H", $0] } + [url]
        return try await TestSupport.toolOffPool("curl", args).stdout
    }

    /// Issue 17: any web page in the seller's browser could pause, skip or inject chat on the
    /// loopback port. Commands need the token there too; a foreign Origin or Host is refused.
    @Test func commandsNeedTheTokenAndCrossSiteRequestsAreRefused() async throws {
        let (server, chat, port, task) = try await serve(token: "s3cret")
        let base = "http://127.0.0.1:\(port)"
        let auth = "Authorization: Bearer s3cret"
        #expect(try await status("GET", base + "/status") == "200") // reads stay open on loopback
        #expect(try await status("POST", base + "/pause") == "401")
        #expect(try await status("POST", base + "/pause", [auth]) == "200")
        #expect(try await status("POST", base + "/pause", [auth, "Origin: \(base)"]) == "200")
        // A page of another site, even with a token it somehow learnt, and DNS rebinding.
        #expect(try await status("POST", base + "/resume", [auth, "Origin: http://evil.example"]) == "403")
        #expect(try await status("POST", base + "/resume", [auth, "Origin: http://127.0.0.1:1"]) == "403")
        #expect(try await status("GET", base + "/status", ["Host: evil.example:\(port)"]) == "403")
        #expect(try await status("POST", base + "/chat", [auth, "Host: evil.example:\(port)"]) == "403")
        // The chat WebSocket: a foreign Origin is not upgraded.
        let upgrade = ["Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="]
        #expect(try await status("GET", base + "/chat/ws?token=s3cret", upgrade + ["Origin: http://evil.example"]) != "101")
        _ = try await send("hi", to: "ws://127.0.0.1:\(port)/chat/ws?token=s3cret")
        #expect(chat.stats.received == 1)
        await server.shutdown()
        _ = await task.result
    }

    /// Viewer events: POST /events (an object, an array or JSON lines) and /events/ws, with the
    /// token like chat; a bad event is a 400 naming it, and nothing of that body is queued.
    @Test func viewerEventsArriveByPostAndWebSocket() async throws {
        let (server, chat, port, task) = try await serve(token: "s3cret")
        let base = "http://127.0.0.1:\(port)"
        let auth = "Authorization: Bearer s3cret"
        func post(_ body: String, _ headers: [String]) async throws -> String {
            let args = ["-s", "-m", "5", "-w", "\n%{http_code}", "-X", "POST", "--data-binary", body] + headers.flatMap { ["-H", $0] } + [base + "/events"]
            return try await TestSupport.toolOffPool("curl", args).stdout
        }
        #expect(try await post(#"{"type": "follow", "user": "a"}"#, []).hasSuffix("401"))
        let ok = try await post(#"[{"type": "gift", "user": "a", "gift": "rose", "value": 10}, {"type": "like", "count": 30}]"#, [auth])
        #expect(ok.hasSuffix("202") && ok.contains(#""queued" : 2"#), "\(ok)")
        let bad = try await post("{\"type\": \"follow\"}\n{\"type\": \"rocket\"}", [auth])
        #expect(bad.hasSuffix("400") && bad.contains("line 2") && bad.contains("rocket"), "\(bad)")
        let ws = try await send(#"{"type": "share", "user": "b"}"#, to: "ws://127.0.0.1:\(port)/events/ws?token=s3cret")
        #expect(ws == #"{"queued":1}"#)
        let wsBad = try await send(#"{"type": "gift", "count": -1}"#, to: "ws://127.0.0.1:\(port)/events/ws?token=s3cret")
        #expect(wsBad?.contains("count") == true, "\(wsBad ?? "")")
        let s = chat.stats
        #expect(s.events == ["gift": 1, "like": 1, "share": 1] && s.likes == 30 && s.giftValue == 10, "\(s.events)")
        await server.shutdown()
        _ = await task.result
    }

    /// A platform's webhook cannot send the token: with a shared secret it signs the body
    /// (HMAC-SHA256), and only a right signature over the exact body is taken.
    @Test func signedWebhooksNeedNoTokenButTheRightSignature() async throws {
        let secret = "a-long-shared-secret-123"
        let (server, chat, port, task) = try await serve(token: "s3cret", eventsSecret: secret)
        func post(_ body: String, _ headers: [String]) async throws -> String {
            let args = ["-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data-binary", body] + headers.flatMap { ["-H", $0] }
                + ["http://127.0.0.1:\(port)/events"]
            return try await TestSupport.toolOffPool("curl", args).stdout
        }
        let body = #"{"type": "gift", "user": "dy_1", "name": "Ann", "gift": "rocket", "value": 100}"#
        let signature = WebhookSignature(secret: secret).sign(Data(body.utf8))
        #expect(signature.hasPrefix("sha256=") && signature.count == 71)
        #expect(try await post(body, ["X-Anchor-Signature: \(signature)"]) == "202")
        #expect(try await post(body + " ", ["X-Anchor-Signature: \(signature)"]) == "401", "another body")
        #expect(try await post(body, ["X-Anchor-Signature: " + WebhookSignature(secret: "another-secret-0000").sign(Data(body.utf8))]) == "401")
        #expect(try await post(body, ["X-Anchor-Signature: sha256=zz"]) == "401")
        #expect(try await post(body, []) == "401", "neither token nor signature")
        #expect(try await post(body, ["Authorization: Bearer s3cret"]) == "202", "the token still works")
        // A signature opens only /events.
        #expect(try await status("POST", "http://127.0.0.1:\(port)/pause", ["X-Anchor-Signature: \(signature)"]) == "401")
        #expect(chat.stats.events["gift"] == 2)
        await server.shutdown()
        _ = await task.result
    }

    /// A TCP connection from `source` (any 127.x address) that sends `bytes` and is left open.
    func openConnection(from source: String, to port: Int, sending bytes: String) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var local = sockaddr_in(), remote = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET); inet_pton(AF_INET, source, &local.sin_addr)
        remote.sin_family = sa_family_t(AF_INET); remote.sin_port = in_port_t(UInt16(port).bigEndian); inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
        let ok = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
            && withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
        guard ok else { close(fd); throw POSIXError(.ECONNREFUSED) }
        _ = bytes.withCString { Glibc.send(fd, $0, strlen($0), 0) }
        return fd
    }

    /// True when the server closed the connection (a read returns end of file).
    func isClosed(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) // end of file, or reset
    }

    /// Issue 17: 1 100 idle half-sent requests took every descriptor of the process (status
    /// stopped answering, espeak-ng could not open its data). One peer now holds at most 32
    /// connections, silent ones are closed after the idle timeout, and others are still served.
    @Test func aConnectionFloodFromOnePeerIsCappedAndTimedOut() async throws {
        let (server, _, port, task) = try await serve(token: nil, idleTimeout: .seconds(2))
        let flood = try (0..<40).map { _ in try openConnection(from: "127.0.0.2", to: port, sending: "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n") }
        defer { flood.forEach { close($0) } }
        try await Task.sleep(for: .milliseconds(500))
        let closed = flood.filter(isClosed).count
        #expect(closed == 8, "\(closed) of 40 closed at once; expected those over 32")
        #expect(server.connections.count == 32)
        // Another peer is served meanwhile.
        #expect(try await status("GET", "http://127.0.0.1:\(port)/status") == "200")
        // The half-sent requests are closed once they have been silent for the idle timeout.
        try await Task.sleep(for: .seconds(3))
        #expect(flood.filter(isClosed).count == 40)
        #expect(server.connections.count == 0)
        await server.shutdown()
        _ = await task.result
    }
}
