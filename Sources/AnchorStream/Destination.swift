import AnchorCore
import Foundation
import NIOCore
import Synchronization

/// One `--push` target kept on air (RTMP or WHIP): publishes from its own queue, and after any failure
/// reconnects with exponential backoff and jitter (0.5 s doubling to a 30 s cap), sending
/// sequence headers and a fresh keyframe first. The show never waits for it.
public final class Destination: Sendable {
    public enum State: Sendable, Equatable {
        case connecting
        case publishing
        case waiting(retryIn: Double, reason: String)
        case failed(String)
        case finished
    }

    public struct Status: Sendable {
        public var url: String
        public var state: State
        public var reconnects: Int
        public var sentVideo: Int
        public var sentAudio: Int
        public var bytes: Int64
        public var queue: PacketQueue.Counts
        public var queueMs: UInt32
        /// The last error, if any (redacted).
        public var lastError: String?
        /// Publishing sessions that reached NetStream.Publish.Start.
        public var sessions: Int
        /// Stream time of the first packet of each session, in ms.
        public var sessionStarts: [UInt32]
        /// Frame-to-socket latency of video frames, in milliseconds (the last 100 000).
        public var videoLatencyMs: [Double]
        /// Why sessions ended or failed, with how often.
        public var errors: [String: Int]
        /// When the first packet of all reached the socket.
        public var firstSentAt: ContinuousClock.Instant?
        /// A WHIP destination's transport: packets, NACKs, retransmissions, latency.
        public var webrtc: WebRTCStats?
        var awaitingFirstPacket = false
    }

    public let publisher: Publisher
    public let queue: PacketQueue
    private let onNeedKeyframe: @Sendable () -> Void
    private let status: Mutex<Status>
    private let stopping = Atomic<Bool>(false)

    /// `trustedCA`: a PEM file of certificates to trust for rtmps:// besides the system's.
    public convenience init(url: StreamURL, settings: PublishSettings, group: EventLoopGroup, queueCapacityMs: UInt32 = 3_000,
                            trustedCA: String? = nil, onNeedKeyframe: @escaping @Sendable () -> Void) throws {
        self.init(publisher: try RTMPPublisher(url: url, settings: settings, group: group, trustedCA: trustedCA),
                  queueCapacityMs: queueCapacityMs, onNeedKeyframe: onNeedKeyframe)
    }

    public init(publisher: Publisher, queueCapacityMs: UInt32 = 3_000, onNeedKeyframe: @escaping @Sendable () -> Void) {
        self.publisher = publisher
        self.onNeedKeyframe = onNeedKeyframe
        queue = PacketQueue(capacityMs: queueCapacityMs)
        status = Mutex(Status(url: publisher.redacted, state: .connecting, reconnects: 0, sentVideo: 0, sentAudio: 0, bytes: 0,
                              queue: .init(), queueMs: 0, lastError: nil, sessions: 0, sessionStarts: [], videoLatencyMs: [], errors: [:], firstSentAt: nil))
    }

    public var current: Status {
        var s = status.withLock { $0 }
        s.queue = queue.counts
        s.queueMs = queue.depthMs
        return s
    }

    /// Keeps the destination on air until `finish()`; returns when it has ended.
    public func run() async {
        var backoff = Backoff()
        var attempt = 0
        while !stopping.load(ordering: .acquiring) {
            if attempt > 0 { status.withLock { $0.reconnects += 1 } }
            attempt += 1
            status.withLock { $0.state = .connecting }
            queue.pause()
            let sessionsBefore = status.withLock { $0.sessions }
            do {
                try await publisher.publish(queue: queue, events: PublishEvents(onPublishing: { [self] in
                    status.withLock { $0.state = .publishing; $0.sessions += 1; $0.awaitingFirstPacket = true }
                    queue.start()
                    onNeedKeyframe()
                }, onSent: { [self] p in
                    status.withLock { s in
                        if s.awaitingFirstPacket { s.sessionStarts.append(p.timestamp); s.awaitingFirstPacket = false }
                        if s.firstSentAt == nil { s.firstSentAt = .now }
                        if p.kind == .video {
                            s.sentVideo += 1
                            let d = ContinuousClock.now - p.madeAt
                            if s.videoLatencyMs.count >= 100_000 { s.videoLatencyMs.removeFirst(50_000) }
                            s.videoLatencyMs.append(d.inSeconds * 1000)
                        } else { s.sentAudio += 1 }
                        s.bytes += Int64(p.data.count)
                    }
                }, onKeyframeRequest: onNeedKeyframe, onWebRTCStats: { [self] stats in
                    status.withLock { $0.webrtc = stats }
                }))
                status.withLock { $0.state = .finished }
                return
            } catch {
                queue.pause()
                if stopping.load(ordering: .acquiring) { break }
                if error.isPermanent {
                    status.withLock { $0.state = .failed(error.description); $0.lastError = error.description; $0.errors[error.description, default: 0] += 1 }
                    return
                }
                // A session that published for a while starts the backoff over.
                if status.withLock({ $0.sessions }) > sessionsBefore { backoff.reset() }
                let delay = max(backoff.next(), min(error.retryAfter ?? 0, 300))
                status.withLock {
                    $0.state = .waiting(retryIn: delay, reason: error.description)
                    $0.lastError = error.description
                    $0.errors[error.description, default: 0] += 1
                }
                let until = ContinuousClock.now + .milliseconds(Int(delay * 1000))
                while ContinuousClock.now < until, !stopping.load(ordering: .acquiring) {
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
        }
        status.withLock { $0.state = .finished }
    }

    /// Ends publishing: what is queued is sent, then FCUnpublish and deleteStream; a
    /// destination that is not connected stops retrying.
    public func finish() {
        stopping.store(true, ordering: .releasing)
        queue.close()
    }
}
