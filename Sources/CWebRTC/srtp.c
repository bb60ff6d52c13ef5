// SRTP/SRTCP with libsrtp2, AES_CM_128_HMAC_SHA1_80 (the profile DTLS negotiates).
#include "cwebrtc.h"

#include <srtp2/srtp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct anchor_srtp {
    srtp_t session;
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init_library(void) { srtp_init(); }

anchor_srtp *anchor_srtp_new(const uint8_t key_salt[30], int outbound) {
    pthread_once(&once, init_library);
    anchor_srtp *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    srtp_policy_t policy;
    memset(&policy, 0, sizeof policy);
    srtp_crypto_policy_set_rtp_default(&policy.rtp);
    srtp_crypto_policy_set_rtcp_default(&policy.rtcp);
    policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
    uint8_t key[30];
    memcpy(key, key_salt, sizeof key);
    policy.key = key;
    policy.window_size = 1024;
    policy.allow_repeat_tx = 1;
    policy.next = NULL;
    if (srtp_create(&s->session, &policy) != srtp_err_status_ok) { free(s); return NULL; }
    return s;
}

void anchor_srtp_free(anchor_srtp *s) {
    if (!s) return;
    srtp_dealloc(s->session);
    free(s);
}

int anchor_srtp_protect(anchor_srtp *s, uint8_t *buf, int *len) { return srtp_protect(s->session, buf, len); }
int anchor_srtp_protect_rtcp(anchor_srtp *s, uint8_t *buf, int *len) { return srtp_protect_rtcp(s->session, buf, len); }
int anchor_srtp_unprotect(anchor_srtp *s, uint8_t *buf, int *len) { return srtp_unprotect(s->session, buf, len); }
int anchor_srtp_unprotect_rtcp(anchor_srtp *s, uint8_t *buf, int *len) { return srtp_unprotect_rtcp(s->session, buf, len); }
