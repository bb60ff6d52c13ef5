// DTLS-SRTP for WebRTC: OpenSSL 3 (DTLS 1.2, use_srtp, keying-material export) and libsrtp2,
// wrapped once. Swift sees only these opaque handles and plain buffers.
#ifndef CWEBRTC_H
#define CWEBRTC_H

#include <stddef.h>
#include <stdint.h>

/// A self-signed ECDSA P-256 certificate and its key (WebRTC peers refuse RSA and P-224).
typedef struct anchor_cert anchor_cert;
anchor_cert *anchor_cert_new(void);
void anchor_cert_free(anchor_cert *cert);
/// "AB:CD:…" SHA-256 fingerprint, as SDP's a=fingerprint carries it. Returns its length.
int anchor_cert_fingerprint(const anchor_cert *cert, char *out, size_t cap);

/// One DTLS association over datagrams the caller carries: feed what arrives, send what
/// `anchor_dtls_next_datagram` hands out, call `anchor_dtls_handle_timeout` when the timer runs out.
typedef struct anchor_dtls anchor_dtls;
anchor_dtls *anchor_dtls_new(const anchor_cert *cert, int is_server, int mtu);
void anchor_dtls_free(anchor_dtls *dtls);
/// Drives the handshake: 1 done, 0 in progress, -1 failed (see anchor_dtls_error).
int anchor_dtls_handshake(anchor_dtls *dtls);
/// Hands a received datagram to DTLS (then call anchor_dtls_handshake or anchor_dtls_read).
int anchor_dtls_feed(anchor_dtls *dtls, const uint8_t *data, size_t len);
/// Application data or an alert after the handshake: > 0 bytes read, 0 nothing, -1 closed by the peer.
int anchor_dtls_read(anchor_dtls *dtls, uint8_t *out, size_t cap);
/// The next datagram to send, or 0 when there is none.
int anchor_dtls_next_datagram(anchor_dtls *dtls, uint8_t *out, size_t cap);
/// Milliseconds until `anchor_dtls_handle_timeout` is due; -1 when no timer runs.
long anchor_dtls_timeout_ms(anchor_dtls *dtls);
int anchor_dtls_handle_timeout(anchor_dtls *dtls);
/// Sends close_notify (then drain anchor_dtls_next_datagram).
void anchor_dtls_shutdown(anchor_dtls *dtls);
/// The peer certificate's SHA-256 fingerprint ("AB:CD:…"); 0 when there is none.
int anchor_dtls_peer_fingerprint(anchor_dtls *dtls, char *out, size_t cap);
/// RFC 5764 keying material: 60 bytes (client key 16, server key 16, client salt 14, server salt 14).
/// Returns 1 on success and the negotiated profile name in `profile`.
int anchor_dtls_srtp_keys(anchor_dtls *dtls, uint8_t out[60], char *profile, size_t cap);
/// The last error, as text.
const char *anchor_dtls_error(const anchor_dtls *dtls);

/// One direction of SRTP/SRTCP with AES_CM_128_HMAC_SHA1_80.
typedef struct anchor_srtp anchor_srtp;
/// `key_salt`: 30 bytes (16 key, 14 salt); `outbound`: 1 to protect, 0 to unprotect.
anchor_srtp *anchor_srtp_new(const uint8_t key_salt[30], int outbound);
void anchor_srtp_free(anchor_srtp *srtp);
/// In place; `buf` must have 16 spare bytes after `*len`. Returns 0 on success, else libsrtp's status.
int anchor_srtp_protect(anchor_srtp *srtp, uint8_t *buf, int *len);
int anchor_srtp_protect_rtcp(anchor_srtp *srtp, uint8_t *buf, int *len);
int anchor_srtp_unprotect(anchor_srtp *srtp, uint8_t *buf, int *len);
int anchor_srtp_unprotect_rtcp(anchor_srtp *srtp, uint8_t *buf, int *len);

#endif
