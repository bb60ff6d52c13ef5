import AnchorCore
import Foundation

/// A cached avatar part placed on the frame, optionally rotated and squashed around a pivot.
struct PartDraw: Equatable {
    let image: CairoSurface
    /// Top-left corner, whole pixels.
    let x: Double, y: Double
    let alpha: Double
    let degrees: Double
    let scaleY: Double
    let pivot: SIMD2<Double>

    static func == (a: PartDraw, b: PartDraw) -> Bool {
        a.image === b.image && a.x == b.x && a.y == b.y && a.alpha == b.alpha && a.degrees == b.degrees
            && a.scaleY == b.scaleY && a.pivot == b.pivot
    }

    /// The pixels it can touch, with a pixel of margin for antialiasing when transformed.
    var bounds: PixelRect {
        let w = Double(image.width), h = Double(image.height)
        guard degrees != 0 || scaleY != 1 else { return PixelRect(covering: x, y, w, h) }
        let c = cos(degrees * .pi / 180), s = sin(degrees * .pi / 180)
        var lo = SIMD2(Double.infinity, .infinity), hi = -lo
        for corner in [SIMD2(x, y), SIMD2(x + w, y), SIMD2(x, y + h), SIMD2(x + w, y + h)] {
            let d = corner - pivot
            let dy = d.y * scaleY
            let p = pivot + SIMD2(d.x * c - dy * s, d.x * s + dy * c)
            lo = pointwiseMin(lo, p)
            hi = pointwiseMax(hi, p)
        }
        return PixelRect(covering: lo.x, lo.y, hi.x - lo.x, hi.y - lo.y, pad: 2)
    }
}
