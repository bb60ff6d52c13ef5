#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>
#include <libavutil/mem.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

/* FFmpeg's function-like macros are not imported into Swift. */
static inline int anchor_averror_eof(void) { return AVERROR_EOF; }
static inline int anchor_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int anchor_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
