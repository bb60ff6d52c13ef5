#ifndef CCOLOR_H
#define CCOLOR_H

#include <stddef.h>
#include <stdint.h>

/// BGRA (full range) → I420 (BT.709, limited range; chroma the mean of each 2×2 block) for a
/// `width`×`height` block with even sides. Each pointer is the block's first pixel in its plane.
void anchor_bgra_to_i420(const uint8_t *bgra, ptrdiff_t bgra_stride,
                         uint8_t *y, ptrdiff_t y_stride,
                         uint8_t *u, ptrdiff_t u_stride,
                         uint8_t *v, ptrdiff_t v_stride,
                         int width, int height);

#endif
