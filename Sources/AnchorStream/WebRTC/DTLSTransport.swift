import CWebRTC
import Foundation

/// A self-signed ECDSA P-256 certificate for DTLS (WebRTC peers refuse RSA and P-224), made
/// for each session (about a millisecond; a channel on air for months never presents an
/// expired one) and offered by its SHA-256 fingerprint in SDP.
public final class DTLSCertificate: @unchecked Sendable {
    // Immutable after init; OpenSSL only reads the certificate and key (its refcounts are atomic).
    let handle: OpaquePointer
    /// "sha-256 AB:CD:…" without the algorithm: the hex pairs.
    public let fingerprint: String

    public init() throws(WebRTCError) {
        guard let h = anchor_cert_new() else { throw .dtls("could not make an ECDSA P-256 certificate") }
        handle = h
        var text = [CChar](repeating: 0, count: 128)
        _ = anchor_cert_fingerprint(h, &text, text.count)
        fingerprint = String(cString: text)
    }

    deinit { anchor_cert_free(handle) }
}

/// One DTLS 1.2 association whose datagrams the caller carries (over ICE's socket). Not
/// thread-safe: owned by one event loop.
final class DTLSTransport {
    private let handle: OpaquePointer
    private var scratch = [UInt8](repeating: 0, count: 1_500)

    init(certificate: DTLSCertificate, isServer: Bool, mtu: Int = 1_200) throws(WebRTCError) {
        guard let h = anchor_dtls_new(certificate.handle, isServer ? 1 : 0, Int32(mtu)) else {
            throw .dtls("could not set up DTLS with use_srtp")
        }
        handle = h
    }

    deinit { anchor_dtls_free(handle) }

    enum Progress { case done, inProgress }

    /// Advances the handshake; throws when it failed.
    func handshake() throws(WebRTCError) -> Progress {
        switch anchor_dtls_handshake(handle) {
        case 1: return .done
        case 0: return .inProgress
        default: throw .dtls(error)
        }
    }

    func feed(_ datagram: UnsafeRawBufferPointer) {
        _ = anchor_dtls_feed(handle, datagram.baseAddress?.assumingMemoryBound(to: UInt8.self), datagram.count)
    }

    /// After the handshake: whether the peer closed the association (application data is discarded).
    func readClosed() -> Bool {
        while true {
            let n = scratch.withUnsafeMutableBufferPointer { anchor_dtls_read(handle, $0.baseAddress, $0.count) }
            if n < 0 { return true }
            if n == 0 { return false }
        }
    }

    /// Datagrams DTLS wants sent, in order.
    func takeDatagrams() -> [[UInt8]] {
        var out: [[UInt8]] = []
        while true {
            let n = scratch.withUnsafeMutableBufferPointer { anchor_dtls_next_datagram(handle, $0.baseAddress, $0.count) }
            if n <= 0 { return out }
            out.append(Array(scratch[0..<Int(n)]))
        }
    }

    /// When the retransmission timer runs out, if one runs.
    var timeout: Duration? {
        let ms = anchor_dtls_timeout_ms(handle)
        return ms < 0 ? nil : .milliseconds(ms)
    }

    func handleTimeout() throws(WebRTCError) {
        if anchor_dtls_handle_timeout(handle) < 0 { throw .dtls(error) }
    }

    func shutdown() { anchor_dtls_shutdown(handle) }

    var peerFingerprint: String? {
        var text = [CChar](repeating: 0, count: 128)
        return anchor_dtls_peer_fingerprint(handle, &text, text.count) > 0 ? String(cString: text) : nil
    }

    /// RFC 5764 §4.2: client key, server key, client salt, server salt.
    func srtpKeys() throws(WebRTCError) -> (client: [UInt8], server: [UInt8], profile: String) {
        var material = [UInt8](repeating: 0, count: 60)
        var profile = [CChar](repeating: 0, count: 64)
        guard anchor_dtls_srtp_keys(handle, &material, &profile, profile.count) == 1 else { throw .dtls(error) }
        let client = Array(material[0..<16] + material[32..<46])
        let server = Array(material[16..<32] + material[46..<60])
        return (client, server, String(cString: profile))
    }

    private var error: String { String(cString: anchor_dtls_error(handle)) }
}

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
