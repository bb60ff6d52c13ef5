import AnchorChat
import AnchorCore
@testable import AnchorEngine
import AnchorMedia
import AnchorScript
import AnchorTestSupport
import Foundation
import NIOPosix
import Prometheus
import Testing

/// The channel's instruments are counted where things happen (not derived from a status),
/// read back through a Prometheus registry of the test's own.
@Suite struct ChannelMetricsTests {
    static func metrics(_ channel: String) -> (ChannelMetrics, () -> String) {
        let registry = PrometheusCollectorRegistry()
        let metrics = ChannelMetrics(channel: channel, factory: PrometheusMetricsFactory(registry: registry))
        return (metrics, {
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        })
    }

    /// The value of one series, as the registry writes it.
    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func chatIsCountedAsItArrivesIsDecidedAndIsHeard() throws {
        let (metrics, emit) = Self.metrics("shop")
        let responder = Responder(index: try FactIndex(catalog: Catalog()), rules: try RuleBook.load(TestSupport.path("Scripts/default.rules.yaml")))
        // One decide must take all three: a loaded machine can spend a frame's 4 ms budget on fewer.
        let chat = LiveChat(responder: responder, capacity: 3, budget: .seconds(10), metrics: metrics)
        chat.post(ChatMessage(user: "ann", text: "hello", time: 0))
        chat.post(ChatMessage(user: "bot", text: "cheap followers at www dot spam dot example", time: 1))
        chat.post(ChatMessage(user: "cy", text: "are you a real person?", time: 2))
        // The fourth does not fit: the oldest (ann's) is shed.
        chat.post(ViewerEvent(kind: .gift, user: "dee", name: "Dee", gift: "rose", count: 1, value: 10, time: 3))
        var text = emit()
        #expect(Self.value(text, #"anchor_chat_messages_total{channel="shop"}"#) == 3, "\(text)")
        #expect(Self.value(text, #"anchor_chat_shed_total{channel="shop"}"#) == 1)
        #expect(Self.value(text, #"anchor_viewer_events_total{channel="shop",kind="gift"}"#) == 1, "\(text)")
        #expect(Self.value(text, #"anchor_chat_blocked_total{channel="shop"}"#) == 0)

        let answers = chat.decide(onScreen: nil, language: .en)
        #expect(answers.contains { $0.0.user == "cy" })
        text = emit()
        #expect(Self.value(text, #"anchor_chat_blocked_total{channel="shop"}"#) == 1, "\(text)")
        #expect(Self.value(text, #"anchor_chat_answers_total{channel="shop"}"#) == 0, "decided is not heard")

        chat.heard(.rule, after: 0.8)
        chat.heard(.thanks, after: 2)
        text = emit()
        #expect(Self.value(text, #"anchor_chat_answers_total{channel="shop"}"#) == 1)
        #expect(Self.value(text, #"anchor_thanks_spoken_total{channel="shop"}"#) == 1)
        #expect(text.contains("anchor_chat_answer_latency_seconds"), "\(text)")
    }

    @Test func framesAreCountedByTheFrameLoop() async throws {
        let (metrics, emit) = Self.metrics("room")
        let rundown = try #require(ScriptCompiler.parse("---\ntitle: m\n---\n# One\nA short line.\n", path: "m.show.md").compile(catalog: nil, seed: 7).rundown)
        var options = LiveRenderer.Options(video: VideoSettings(width: 64, height: 64, fps: 10))
        options.paced = false
        options.duration = 2 * Int(MediaTime.sampleRate)
        var hooks = LiveRenderer.Hooks()
        hooks.metrics = metrics
        let status = try await LiveRenderer(program: Program(id: "m", rundown: rundown, catalog: nil), avatarFolder: TestSupport.path("Models/juno"))
            .run(to: [], options: options, group: MultiThreadedEventLoopGroup.singleton, hooks: hooks, status: { _ in }, shouldStop: { false })
        #expect(status.framesSent == 20)
        #expect(Self.value(emit(), #"anchor_frames_sent_total{channel="room"}"#) == 20)
    }
}
