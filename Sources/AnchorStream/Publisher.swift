import Foundation
import NIOCore
import NIOSSL

/// What a publishing session reports to its destination.
public struct PublishEvents: Sendable {
    /// The ingest accepts media now: the queue starts and the encoder makes a keyframe.
    public var onPublishing: @Sendable () -> Void
    public var onSent: @Sendable (StreamPacket) -> Void
    /// The receiver lost the picture (RTCP PLI/FIR): the next frame should be a keyframe.
    public var onKeyframeRequest: @Sendable () -> Void
    public var onWebRTCStats: @Sendable (WebRTCStats) -> Void = { _ in }
}

/// One protocol's way to publish a queue to an ingest until the queue closes or the link
/// fails; `Destination` owns the reconnect loop around it.
public protocol Publisher: Sendable {
    /// Safe to log: no stream key or token.
    var redacted: String { get }
    func publish(queue: PacketQueue, events: PublishEvents) async throws(PublishError)
}
