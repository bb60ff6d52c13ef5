import CWebRTC
import Foundation

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
