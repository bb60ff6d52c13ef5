import CWebRTC
import Foundation

/// A self-signed ECDSA P-256 certificate for DTLS (WebRTC peers refuse RSA and P-224), made
/// for each session (about a millisecond; a channel on air for months never presents an
/// expired one) and offered by its SHA-256 fingerprint in SDP.
/// Sendable (unchecked): the key and certificate are made in `init`, never changed, and only
/// read afterwards (OpenSSL allows concurrent reads of one X509/EVP_PKEY); freed once, in `deinit`.
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
