import Foundation

/// Everything a WebRTC peer can send us, read the way a session reads it; for the fuzzer
/// (`FuzzTarget.webrtc`), which must find no input that crashes or hangs it.
public enum WebRTCInput {
    /// An SDP answer when the bytes start with `v=`; else one datagram as STUN (with integrity
    /// and fingerprint checks), RTCP, and H.264 RTP payloads to reassemble.
    public static func read(_ bytes: [UInt8]) {
        if bytes.starts(with: Array("v=".utf8)) {
            _ = try? SessionAnswer(String(decoding: bytes, as: UTF8.self))
            return
        }
        if let m = STUNMessage.parse(bytes) {
            _ = m.hasIntegrity(key: Array("password".utf8))
            _ = m.hasValidFingerprint
            _ = m.xorMappedAddress
            _ = m.username
        }
        _ = RTCPPacket.parse(bytes)
        // The bytes cut into payloads at each 0xFF, as packets of one access unit.
        _ = H264Payloads.units(from: bytes.split(separator: 0xFF, omittingEmptySubsequences: false).map(Array.init))
    }
}
