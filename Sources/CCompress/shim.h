// zlib and brotli's decoder: the compressed bodies of Bilibili's danmaku protocol.
#include <zlib.h>
#include <brotli/decode.h>
