import AnchorStream
import Metrics
import Synchronization

/// A channel's swift-metrics instruments, each labelled `channel="NAME"` (several channels share
/// one `/metrics`), incremented where things happen: a frame sent or skipped by the frame loop,
/// a message received or shed by the chat inbox, a message blocked when it is decided, an
/// answer (with its latency) or a thanks when it starts in the stream. Reconnects and dropped
/// video frames happen inside AnchorStream, which does not depend on swift-metrics: those two
/// are the increase of the destinations' counts, read with each status.
public final class ChannelMetrics: Sendable {
    let framesSent, framesSkipped, received, shed, blocked, answered, thanksSpoken, reconnects, droppedVideo: Counter
    let bitrate: Gauge
    let latency: Timer
    private let dimensions: [(String, String)]
    private let factory: any MetricsFactory
    /// Viewer events by kind, made as kinds appear.
    private let events = Mutex<[String: Counter]>([:])
    /// The destinations' counts last seen.
    private let seen = Mutex<(reconnects: Int, dropped: Int)>((0, 0))

    /// `factory`: the process's (bootstrapped once by `MetricsExport`) unless a test gives its own.
    public init(channel: String, factory: any MetricsFactory = MetricsSystem.factory) {
        let dimensions = [("channel", channel)]
        func counter(_ label: String) -> Counter { Counter(label: label, dimensions: dimensions, factory: factory) }
        framesSent = counter("anchor_frames_sent_total")
        framesSkipped = counter("anchor_frames_skipped_total")
        received = counter("anchor_chat_messages_total")
        shed = counter("anchor_chat_shed_total")
        blocked = counter("anchor_chat_blocked_total")
        answered = counter("anchor_chat_answers_total")
        thanksSpoken = counter("anchor_thanks_spoken_total")
        reconnects = counter("anchor_reconnects_total")
        droppedVideo = counter("anchor_dropped_video_frames_total")
        bitrate = Gauge(label: "anchor_video_kbps", dimensions: dimensions, factory: factory)
        latency = Timer(label: "anchor_chat_answer_latency_seconds", dimensions: dimensions, factory: factory)
        self.dimensions = dimensions
        self.factory = factory
    }

    /// A viewer event that is not a message (gift, like, follow…) arrived.
    func viewerEvent(_ kind: String) {
        let counter = events.withLock { e in
            if let c = e[kind] { return c }
            let c = Counter(label: "anchor_viewer_events_total", dimensions: dimensions + [("kind", kind)], factory: factory)
            e[kind] = c
            return c
        }
        counter.increment()
    }

    /// An answer (or, for thanks and paid messages, a thanks line) started in the stream.
    func heard(thanks: Bool, latency seconds: Double) {
        if thanks {
            thanksSpoken.increment()
        } else {
            answered.increment()
            latency.recordSeconds(seconds)
        }
    }

    /// The destinations' reconnects and dropped video frames, as their counts grew.
    func destinations(_ list: [Destination.Status]) {
        let (r, d) = (list.reduce(0) { $0 + $1.reconnects }, list.reduce(0) { $0 + $1.queue.droppedVideo })
        seen.withLock { s in
            reconnects.increment(by: max(0, r - s.reconnects))
            droppedVideo.increment(by: max(0, d - s.dropped))
            s = (r, d)
        }
    }
}
