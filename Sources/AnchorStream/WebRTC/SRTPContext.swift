import CWebRTC
import Foundation

/// One direction of SRTP and SRTCP (AES_CM_128_HMAC_SHA1_80) from libsrtp2. Not thread-safe.
final class SRTPContext {
    /// Bytes a protected packet grows by at most (SRTCP: index 4 + tag 10).
    static let overhead = 16
    private let handle: OpaquePointer

    /// `keySalt`: 16 bytes of key then 14 of salt.
    init(keySalt: [UInt8], outbound: Bool) throws(WebRTCError) {
        guard keySalt.count == 30, let h = anchor_srtp_new(keySalt, outbound ? 1 : 0) else { throw .srtp("could not set up SRTP") }
        handle = h
    }

    deinit { anchor_srtp_free(handle) }

    func protect(_ packet: inout [UInt8], rtcp: Bool = false) throws(WebRTCError) {
        let plain = Int32(packet.count)
        packet.append(contentsOf: repeatElement(0, count: Self.overhead))
        var len = plain
        let status = packet.withUnsafeMutableBufferPointer { b in
            rtcp ? anchor_srtp_protect_rtcp(handle, b.baseAddress, &len) : anchor_srtp_protect(handle, b.baseAddress, &len)
        }
        guard status == 0 else { throw .srtp("SRTP protect failed (libsrtp2 status \(status))") }
        packet.removeLast(packet.count - Int(len))
    }

    /// Checks and decrypts in place; false when the packet is not authentic or a replay.
    func unprotect(_ packet: inout [UInt8], rtcp: Bool = false) -> Bool {
        var len = Int32(packet.count)
        let status = packet.withUnsafeMutableBufferPointer { b in
            rtcp ? anchor_srtp_unprotect_rtcp(handle, b.baseAddress, &len) : anchor_srtp_unprotect(handle, b.baseAddress, &len)
        }
        guard status == 0 else { return false }
        packet.removeLast(packet.count - Int(len))
        return true
    }
}
