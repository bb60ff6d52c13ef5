import Foundation
import Synchronization

/// Counters of one WebRTC session, read by the destination's status and the bench.
public struct WebRTCStats: Sendable {
    public var packetsSent = 0
    public var bytesSent = 0
    /// Sequence numbers the receiver asked for again, and how many were resent from history.
    public var nackedPackets = 0
    public var retransmitted = 0
    public var keyframeRequests = 0
    /// Encoded frame ready → its first RTP packet handed to the socket, in ms.
    public var firstPacketLatencyMs: [Double] = []
    /// The candidate pair in use ("127.0.0.1:5000").
    public var remote: String?
    /// Seconds from the answer to ICE + DTLS connected.
    public var connectSeconds: Double?
    /// Our public address as the endpoint's STUN servers see it, when it differs from ours.
    public var serverReflexive: String?
    /// `Link` ICE servers not used (TURN; names that did not resolve).
    public var iceServersIgnored: [String] = []
    public var receiverLossFraction: Double?
    /// CPU time spent on the event loop for this session: RTP packetization, SRTP, sends,
    /// ICE, RTCP (thread CPU time, so other work on the machine does not count).
    public var cpuSeconds = 0.0

    /// Frame-to-wire latency percentile (0…1) in ms.
    public func latencyMs(_ p: Double) -> Double? {
        guard !firstPacketLatencyMs.isEmpty else { return nil }
        let sorted = firstPacketLatencyMs.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    /// One line for the end-of-run summary.
    public var summary: String {
        let connect = connectSeconds.map { String(format: "connected in %.2f s", $0) } ?? "not connected"
        let via = remote.map { " to \($0)" } ?? ""
        let latency = latencyMs(0.5).map { String(format: ", frame to wire p50 %.2f ms p99 %.2f ms", $0, latencyMs(0.99) ?? $0) } ?? ""
        let srflx = serverReflexive.map { ", public address \($0) (trickled)" } ?? ""
        let unused = iceServersIgnored.isEmpty ? "" : "; ICE servers not used (TURN is not supported): "
            + iceServersIgnored.map(WHIPEndpoint.redactedICEServer).joined(separator: ", ")
        return "WebRTC: \(connect)\(via)\(srflx), \(packetsSent) RTP packets, \(nackedPackets) NACKed, \(retransmitted) resent, "
            + "\(keyframeRequests) keyframe requests\(latency)\(unused)"
    }
}

/// The stats a session's event loop writes and the destination reads.
final class StatsBox: Sendable {
    let value = Mutex(WebRTCStats())
}
