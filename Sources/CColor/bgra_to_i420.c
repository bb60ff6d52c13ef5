#include "ccolor.h"

// Eight pixels a step in clang's vector types. They stay vector instructions at -O0 too
// (debug builds compile C unoptimized), where a loop of scalars or Swift's generic SIMD
// would cost many times the frame budget.
typedef uint32_t u32x8 __attribute__((ext_vector_type(8), aligned(4)));
typedef uint32_t u32x4 __attribute__((ext_vector_type(4)));
typedef uint8_t u8x8 __attribute__((ext_vector_type(8), aligned(1)));
typedef uint8_t u8x4 __attribute__((ext_vector_type(4), aligned(1)));

// BT.709 limited range in 16-bit fixed point: Y from each pixel, Cb/Cr from the sum of a 2×2
// block (hence 2 more bits of shift). Unsigned arithmetic wraps: with the offsets added, every
// result is in 0..<2³², so the wrap is exact.
enum {
    Y_R = 11966, Y_G = 40254, Y_B = 4064,
    U_R = -6597, U_G = -22187, U_B = 28784,
    V_R = 28784, V_G = -26148, V_B = -2637,
};
static const uint32_t Y_OFFSET = (16u << 16) + (1u << 15), C_OFFSET = (128u << 18) + (1u << 17);

#define INLINE static inline __attribute__((always_inline))
// Macros, not functions: one formula for a lane or eight, and eight-lane vectors as arguments
// would change the ABI without AVX. Cb and Cr take the sums of a 2×2 block.
#define LUMA(b, g, r) (((r) * (uint32_t)Y_R + (g) * (uint32_t)Y_G + (b) * (uint32_t)Y_B + Y_OFFSET) >> 16)
#define CB(b, g, r) (((r) * (uint32_t)U_R + (g) * (uint32_t)U_G + (b) * (uint32_t)U_B + C_OFFSET) >> 18)
#define CR(b, g, r) (((r) * (uint32_t)V_R + (g) * (uint32_t)V_G + (b) * (uint32_t)V_B + C_OFFSET) >> 18)

INLINE uint32_t luma1(uint32_t px) { return LUMA(px & 0xFF, (px >> 8) & 0xFF, (px >> 16) & 0xFF); }

INLINE uint32_t load1(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void anchor_bgra_to_i420(const uint8_t *bgra, ptrdiff_t bgra_stride,
                         uint8_t *y, ptrdiff_t y_stride,
                         uint8_t *u, ptrdiff_t u_stride,
                         uint8_t *v, ptrdiff_t v_stride,
                         int width, int height) {
    for (int row = 0; row < height; row += 2) {
        const uint8_t *s0 = bgra + row * bgra_stride, *s1 = s0 + bgra_stride;
        uint8_t *y0 = y + row * y_stride, *y1 = y0 + y_stride;
        uint8_t *cu = u + (row / 2) * u_stride, *cv = v + (row / 2) * v_stride;
        int x = 0;
        for (; x + 8 <= width; x += 8) {
            u32x8 a = *(const u32x8 *)(s0 + x * 4), c = *(const u32x8 *)(s1 + x * 4);
            u32x8 ab = a & 0xFF, ag = (a >> 8) & 0xFF, ar = (a >> 16) & 0xFF;
            u32x8 cb = c & 0xFF, cg = (c >> 8) & 0xFF, cr = (c >> 16) & 0xFF;
            *(u8x8 *)(y0 + x) = __builtin_convertvector(LUMA(ab, ag, ar), u8x8);
            *(u8x8 *)(y1 + x) = __builtin_convertvector(LUMA(cb, cg, cr), u8x8);
            u32x8 sb = ab + cb, sg = ag + cg, sr = ar + cr;
            u32x4 qb = sb.even + sb.odd, qg = sg.even + sg.odd, qr = sr.even + sr.odd;
            *(u8x4 *)(cu + x / 2) = __builtin_convertvector(CB(qb, qg, qr), u8x4);
            *(u8x4 *)(cv + x / 2) = __builtin_convertvector(CR(qb, qg, qr), u8x4);
        }
        for (; x < width; x += 2) {
            uint32_t p[4] = { load1(s0 + x * 4), load1(s0 + x * 4 + 4), load1(s1 + x * 4), load1(s1 + x * 4 + 4) };
            y0[x] = (uint8_t)luma1(p[0]); y0[x + 1] = (uint8_t)luma1(p[1]);
            y1[x] = (uint8_t)luma1(p[2]); y1[x + 1] = (uint8_t)luma1(p[3]);
            uint32_t b = 0, g = 0, r = 0;
            for (int i = 0; i < 4; i++) { b += p[i] & 0xFF; g += (p[i] >> 8) & 0xFF; r += (p[i] >> 16) & 0xFF; }
            cu[x / 2] = (uint8_t)CB(b, g, r);
            cv[x / 2] = (uint8_t)CR(b, g, r);
        }
    }
}
