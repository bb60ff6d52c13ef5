#include <stdint.h>
#include <x265.h>

// x265_encoder_open is a macro naming the build (x265_encoder_open_199): wrapped so Swift can call it.
static inline x265_encoder *anchor_x265_encoder_open(x265_param *p) { return x265_encoder_open(p); }
