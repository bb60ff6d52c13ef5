import AnchorChat
import AnchorCore
@testable import AnchorEngine
import AnchorTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

/// The control port's router in process (no socket): a station's routes, health and readiness.
@Suite struct ControlRouterTests {
    struct Reply { var status: Int; var body: String }

    /// Sends one request through the router as the server would.
    static func call(_ router: Router<BasicRequestContext>, _ method: HTTPRequest.Method, _ path: String, body: String = "",
                     headers: HTTPFields = [:]) async throws -> Reply {
        let responder = router.buildResponder()
        let request = Request(head: .init(method: method, scheme: "http", authority: "127.0.0.1", path: path, headerFields: headers),
                              body: .init(buffer: ByteBuffer(string: body)))
        let context = BasicRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: Logger(label: "test")))
        let response = try await responder.respond(to: request, context: context)
        let sink = Sink()
        try await response.body.write(Collector(sink: sink))
        return Reply(status: response.status.code, body: String(decoding: sink.bytes.withLock { $0 }, as: UTF8.self))
    }

    final class Sink: Sendable { let bytes = Mutex<[UInt8]>([]) }

    /// Collects a response body into its sink.
    struct Collector: ResponseBodyWriter {
        let sink: Sink
        mutating func write(_ buffer: ByteBuffer) async throws { sink.bytes.withLock { $0 += buffer.readableBytesView } }
        mutating func write(contentsOf buffers: some Sequence<ByteBuffer>) async throws { for b in buffers { try await write(b) } }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    func room(_ name: String) throws -> ControlServer.Room {
        let responder = Responder(index: try FactIndex(catalog: Catalog()), rules: try RuleBook.load(TestSupport.path("Scripts/default.rules.yaml")))
        let chat = LiveChat(responder: responder)
        return ControlServer.Room(name: name, board: Board(channel: name, station: nil, chat: chat), control: LiveControl(), air: nil)
    }

    static func running() -> LiveRenderer.Status {
        LiveRenderer.Status(elapsed: 1, mediaSeconds: 1, framesSent: 30, framesSkipped: 0, fps: 30, videoKbps: 800, destinations: [])
    }

    @Test func aStationServesEachChannelUnderItsNameAndIsReadyOnlyWhenAllAre() async throws {
        let a = try room("shop-a"), b = try room("shop-b")
        let endpoint = try #require(try ControlEndpoint("127.0.0.1:0", token: "tok"))
        let router = ControlRouter.make(rooms: [a, b], station: true, endpoint: endpoint, metrics: { "anchor_frames_sent_total{channel=\"shop-a\"} 1\n" },
                                        isStopping: { false })
        let auth: HTTPFields = [.authorization: "Bearer tok"]

        // Nothing has aired yet: alive, not ready.
        #expect(try await Self.call(router, .get, "/healthz").status == 200)
        let starting = try await Self.call(router, .get, "/readyz")
        #expect(starting.status == 503 && starting.body.contains("shop-a: starting") && starting.body.contains("shop-b: starting"), "\(starting.body)")

        a.board.update(Self.running())
        let half = try await Self.call(router, .get, "/readyz")
        #expect(half.status == 503 && !half.body.contains("shop-a") && half.body.contains("shop-b: starting"), "\(half.body)")
        b.board.update(Self.running())
        #expect(try await Self.call(router, .get, "/readyz").status == 200)

        // Each channel's routes are its own: chat to one is not the other's.
        let page = try await Self.call(router, .get, "/")
        #expect(page.status == 200 && page.body.contains("/channels/shop-a/") && page.body.contains("2 of 2 channels on air"), "\(page.status) \(page.body.suffix(900))")
        let status = try await Self.call(router, .get, "/channels/shop-b/status")
        #expect(status.status == 200 && status.body.contains("\"channel\" : \"shop-b\""))
        let console = try await Self.call(router, .get, "/channels/shop-a/")
        #expect(console.body.contains("<base href=\"/channels/shop-a/\">"))
        #expect(try await Self.call(router, .post, "/channels/shop-b/chat", body: #"{"user":"ann","text":"hi"}"#).status == 401)
        #expect(try await Self.call(router, .post, "/channels/shop-b/chat", body: #"{"user":"ann","text":"hi"}"#, headers: auth).status == 202)
        #expect(b.board.chat?.stats.received == 1 && a.board.chat?.stats.received == 0)
        #expect(try await Self.call(router, .post, "/channels/nope/chat", body: "x", headers: auth).status == 404)
        #expect(try await Self.call(router, .get, "/metrics").body.contains("channel=\"shop-a\""))

        // One channel failing makes the station not ready; the other is still served.
        b.board.fail("the encoder stopped")
        let failed = try await Self.call(router, .get, "/readyz")
        #expect(failed.status == 503 && failed.body.contains("shop-b: failed: the encoder stopped") && !failed.body.contains("shop-a"), "\(failed.body)")
        #expect(try await Self.call(router, .get, "/healthz").status == 200, "a failed channel is not a stuck process")
        #expect(try await Self.call(router, .get, "/channels/shop-a/status").status == 200)
    }

    @Test func oneChannelIsAtTheRootAndUnderItsName() async throws {
        let a = try room("main")
        let endpoint = try #require(try ControlEndpoint("127.0.0.1:0", token: nil))
        let router = ControlRouter.make(rooms: [a], station: false, endpoint: endpoint, metrics: { "" }, isStopping: { false })
        #expect(try await Self.call(router, .post, "/chat", body: "hello").status == 202)
        #expect(try await Self.call(router, .post, "/channels/main/chat", body: "hello").status == 202)
        #expect(a.board.chat?.stats.received == 2)
        #expect(try await Self.call(router, .get, "/").body.contains("<base href=\"/\">"))
        #expect(try await Self.call(router, .post, "/say", body: #"{"text": ""}"#).status == 400)
    }

    @Test func healthMeansTheFrameLoopTurnsAndReadinessMeansALiveDestination() {
        var s = Board.Snapshot(channel: "c")
        #expect(s.healthProblem() == nil && s.readinessProblem() == "starting")
        s.updatedAt = Date()
        #expect(s.readinessProblem() == nil, "recording only: ready once it runs")
        s.destinations = [Board.DestinationSnapshot(url: "rtmp://x/live/***", state: "retrying in 2.0 s (refused)", live: false, sessions: 0, reconnects: 3, bytes: 0,
                                                    droppedVideo: 0, droppedAudio: 0, behindMs: 0)]
        #expect(s.readinessProblem()?.hasPrefix("no destination live") == true)
        (s.destinations[0].state, s.destinations[0].live) = ("live", true)
        #expect(s.readinessProblem() == nil)
        s.updatedAt = Date().addingTimeInterval(-40)
        #expect(s.healthProblem()?.contains("has not reported for 40 s") == true)
        s.ended = true
        #expect(s.healthProblem() == nil && s.readinessProblem() == "ended")
    }
}
