import Foundation
import Synchronization

/// One audio or video frame on its way to an ingest, timed in stream milliseconds.
public struct StreamPacket: Sendable {
    public enum Kind: Sendable { case video, audio }
    public var kind: Kind
    public var timestamp: UInt32
    public var isKeyframe: Bool
    /// AVCC access unit (video) or raw AAC frame (audio).
    public var data: Data
    /// When making this frame began (for frame-to-socket latency).
    public var madeAt: ContinuousClock.Instant
    /// When the encoder handed it over (for queue-to-wire latency).
    public var readyAt: ContinuousClock.Instant = .now
    /// The time on the codec's RTP clock (video 90 kHz, audio 48 kHz), exact where
    /// milliseconds round.
    public var rtpTime: UInt32

    public init(kind: Kind, timestamp: UInt32, isKeyframe: Bool, data: Data, madeAt: ContinuousClock.Instant = .now, rtpTime: UInt32? = nil) {
        self.kind = kind; self.timestamp = timestamp; self.isKeyframe = isKeyframe; self.data = data; self.madeAt = madeAt
        self.rtpTime = rtpTime ?? timestamp &* (kind == .video ? 90 : 48)
    }
}
