// DTLS 1.2 with use_srtp over caller-carried datagrams (OpenSSL 3). Incoming datagrams go
// into a memory BIO; outgoing ones are kept one per BIO_write by a small BIO of our own, so
// a flight split at the MTU leaves as separate datagrams.
#include "cwebrtc.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct anchor_cert {
    X509 *x509;
    EVP_PKEY *key;
};

enum { QUEUE_SLOTS = 64, SLOT_BYTES = 1500 };

struct anchor_dtls {
    SSL_CTX *ctx;
    SSL *ssl;
    BIO *in;
    int mtu;
    int head, count;
    int sizes[QUEUE_SLOTS];
    uint8_t slots[QUEUE_SLOTS][SLOT_BYTES];
    char error[256];
};

static void format_fingerprint(const unsigned char *md, unsigned int n, char *out, size_t cap) {
    size_t at = 0;
    for (unsigned int i = 0; i < n && at + 3 < cap; i++) at += snprintf(out + at, cap - at, i ? ":%02X" : "%02X", md[i]);
}

anchor_cert *anchor_cert_new(void) {
    anchor_cert *cert = calloc(1, sizeof *cert);
    if (!cert) return NULL;
    cert->key = EVP_EC_gen("P-256");
    cert->x509 = X509_new();
    if (!cert->key || !cert->x509) { anchor_cert_free(cert); return NULL; }
    unsigned char serial[8];
    RAND_bytes(serial, sizeof serial);
    ASN1_INTEGER_set(X509_get_serialNumber(cert->x509), (long)((serial[0] << 16) | (serial[1] << 8) | serial[2]) + 1);
    X509_set_version(cert->x509, 2);
    X509_gmtime_adj(X509_getm_notBefore(cert->x509), -86400);
    X509_gmtime_adj(X509_getm_notAfter(cert->x509), 30L * 86400);
    X509_set_pubkey(cert->x509, cert->key);
    X509_NAME *name = X509_get_subject_name(cert->x509);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"anchor", -1, -1, 0);
    X509_set_issuer_name(cert->x509, name);
    if (!X509_sign(cert->x509, cert->key, EVP_sha256())) { anchor_cert_free(cert); return NULL; }
    return cert;
}

void anchor_cert_free(anchor_cert *cert) {
    if (!cert) return;
    X509_free(cert->x509);
    EVP_PKEY_free(cert->key);
    free(cert);
}

int anchor_cert_fingerprint(const anchor_cert *cert, char *out, size_t cap) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!X509_digest(cert->x509, EVP_sha256(), md, &n)) return 0;
    format_fingerprint(md, n, out, cap);
    return (int)strlen(out);
}

// The outgoing BIO: each write is one datagram.
static int out_write(BIO *bio, const char *data, int len) {
    anchor_dtls *d = BIO_get_data(bio);
    if (len > SLOT_BYTES || d->count == QUEUE_SLOTS) return -1;
    int slot = (d->head + d->count) % QUEUE_SLOTS;
    memcpy(d->slots[slot], data, (size_t)len);
    d->sizes[slot] = len;
    d->count++;
    return len;
}

static long out_ctrl(BIO *bio, int cmd, long num, void *ptr) {
    (void)ptr; (void)num;
    anchor_dtls *d = BIO_get_data(bio);
    switch (cmd) {
    case BIO_CTRL_FLUSH: return 1;
    case BIO_CTRL_DGRAM_QUERY_MTU: case BIO_CTRL_DGRAM_GET_FALLBACK_MTU: return d->mtu;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD: return 28; // IPv4 + UDP
    case BIO_CTRL_WPENDING: case BIO_CTRL_PENDING: return 0;
    default: return 0;
    }
}

static int out_create(BIO *bio) { BIO_set_init(bio, 1); return 1; }

static BIO_METHOD *out_method(void) {
    static BIO_METHOD *method;
    if (!method) {
        method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "anchor datagrams");
        BIO_meth_set_write(method, out_write);
        BIO_meth_set_ctrl(method, out_ctrl);
        BIO_meth_set_create(method, out_create);
    }
    return method;
}

// WebRTC checks the peer's certificate against the SDP fingerprint after the handshake.
static int accept_any(int ok, X509_STORE_CTX *ctx) { (void)ok; (void)ctx; return 1; }

static void set_error(anchor_dtls *d, const char *what) {
    unsigned long e = ERR_get_error();
    char reason[160] = "";
    if (e) ERR_error_string_n(e, reason, sizeof reason);
    snprintf(d->error, sizeof d->error, "%s%s%s", what, e ? ": " : "", reason);
    ERR_clear_error();
}

anchor_dtls *anchor_dtls_new(const anchor_cert *cert, int is_server, int mtu) {
    anchor_dtls *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->mtu = mtu > 0 ? mtu : 1200;
    d->ctx = SSL_CTX_new(DTLS_method());
    if (!d->ctx) { anchor_dtls_free(d); return NULL; }
    SSL_CTX_set_min_proto_version(d->ctx, DTLS1_2_VERSION);
    SSL_CTX_use_certificate(d->ctx, cert->x509);
    SSL_CTX_use_PrivateKey(d->ctx, cert->key);
    SSL_CTX_set_verify(d->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any);
    SSL_CTX_set_cipher_list(d->ctx, "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA");
    // libsrtp_protect below uses AES_CM_128_HMAC_SHA1_80 (RFC 8827 requires it).
    if (SSL_CTX_set_tlsext_use_srtp(d->ctx, "SRTP_AES128_CM_SHA1_80") != 0) { anchor_dtls_free(d); return NULL; }
    d->ssl = SSL_new(d->ctx);
    d->in = BIO_new(BIO_s_mem());
    BIO *out = BIO_new(out_method());
    if (!d->ssl || !d->in || !out) { BIO_free(out); anchor_dtls_free(d); return NULL; }
    BIO_set_mem_eof_return(d->in, -1);
    BIO_set_data(out, d);
    SSL_set_bio(d->ssl, d->in, out);
    SSL_set_options(d->ssl, SSL_OP_NO_QUERY_MTU);
    SSL_set_mtu(d->ssl, d->mtu - 28);
    DTLS_set_link_mtu(d->ssl, d->mtu);
    if (is_server) SSL_set_accept_state(d->ssl); else SSL_set_connect_state(d->ssl);
    return d;
}

void anchor_dtls_free(anchor_dtls *d) {
    if (!d) return;
    SSL_free(d->ssl); // frees both BIOs
    SSL_CTX_free(d->ctx);
    free(d);
}

int anchor_dtls_handshake(anchor_dtls *d) {
    if (SSL_is_init_finished(d->ssl)) return 1;
    int r = SSL_do_handshake(d->ssl);
    if (r == 1) return 1;
    int e = SSL_get_error(d->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) { ERR_clear_error(); return 0; }
    set_error(d, "DTLS handshake failed");
    return -1;
}

int anchor_dtls_feed(anchor_dtls *d, const uint8_t *data, size_t len) {
    return BIO_write(d->in, data, (int)len) == (int)len ? 0 : -1;
}

int anchor_dtls_read(anchor_dtls *d, uint8_t *out, size_t cap) {
    int r = SSL_read(d->ssl, out, (int)cap);
    if (r > 0) return r;
    int e = SSL_get_error(d->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) { ERR_clear_error(); return 0; }
    if (e == SSL_ERROR_ZERO_RETURN) { snprintf(d->error, sizeof d->error, "the peer closed DTLS"); return -1; }
    set_error(d, "DTLS read failed");
    return -1;
}

int anchor_dtls_next_datagram(anchor_dtls *d, uint8_t *out, size_t cap) {
    if (d->count == 0) return 0;
    int size = d->sizes[d->head];
    if ((size_t)size > cap) return -1;
    memcpy(out, d->slots[d->head], (size_t)size);
    d->head = (d->head + 1) % QUEUE_SLOTS;
    d->count--;
    return size;
}

long anchor_dtls_timeout_ms(anchor_dtls *d) {
    struct timeval tv;
    if (!DTLSv1_get_timeout(d->ssl, &tv)) return -1;
    return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

int anchor_dtls_handle_timeout(anchor_dtls *d) {
    int r = DTLSv1_handle_timeout(d->ssl);
    if (r < 0) set_error(d, "DTLS retransmission failed");
    return r;
}

void anchor_dtls_shutdown(anchor_dtls *d) {
    if (SSL_is_init_finished(d->ssl)) SSL_shutdown(d->ssl);
    ERR_clear_error();
}

int anchor_dtls_peer_fingerprint(anchor_dtls *d, char *out, size_t cap) {
    X509 *peer = SSL_get1_peer_certificate(d->ssl);
    if (!peer) return 0;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    int ok = X509_digest(peer, EVP_sha256(), md, &n);
    X509_free(peer);
    if (!ok) return 0;
    format_fingerprint(md, n, out, cap);
    return (int)strlen(out);
}

int anchor_dtls_srtp_keys(anchor_dtls *d, uint8_t out[60], char *profile, size_t cap) {
    SRTP_PROTECTION_PROFILE *p = SSL_get_selected_srtp_profile(d->ssl);
    if (!p) { snprintf(d->error, sizeof d->error, "the peer negotiated no SRTP profile"); return 0; }
    snprintf(profile, cap, "%s", p->name);
    static const char label[] = "EXTRACTOR-dtls_srtp";
    if (SSL_export_keying_material(d->ssl, out, 60, label, sizeof label - 1, NULL, 0, 0) != 1) {
        set_error(d, "keying material export failed");
        return 0;
    }
    return 1;
}

const char *anchor_dtls_error(const anchor_dtls *d) { return d->error; }
