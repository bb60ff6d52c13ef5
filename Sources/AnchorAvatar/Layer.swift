import AnchorCore
import Foundation

/// One thing drawn on a frame: what decides its pixels (`look`, `detail`), where those pixels can
/// fall (`bounds`), and what to paint. Two layers with the same look and bounds paint the same
/// pixels except inside their `detailBounds` when their details differ, which is what lets a
/// renderer skip them or redraw only the detail (a word highlight moving, a price pulsing).
struct Layer: Equatable {
    enum Look: Equatable {
        case absent
        case parts([PartDraw])
        case card(ProductCard, CardMode, Language)
        case countdown(Int)
        case banner(visibility: Double, text: String)
        case draw(SceneState.DrawPanel, Language)
        case warmup(SceneState.Warmup, Language)
        case bubble(ChatBubble, appear: Double)
        /// The text, and the first of the two lines that show.
        case subtitle(String, top: Double)
        /// A played file's picture: which file and which of its frames.
        case clip(String, frame: Int)
    }

    /// What changes often inside a layer whose look stays.
    enum Detail: Equatable {
        case none
        case priceFlash(Double)
        case word(TextSpan?)
    }

    enum Paint {
        case nothing
        case parts([PartDraw])
        case card(CardPlan)
        case countdown(CountdownPlan)
        case banner(BannerPlan)
        case draw(BannerPlan)
        case bubble(BubblePlan)
        case subtitle(SubtitlePlan)
        case clip(CairoSurface, x: Double, y: Double, border: Double)
    }

    var look: Look
    var bounds: PixelRect
    var paint: Paint
    var detail = Detail.none
    /// Inside `bounds`: every pixel the detail can change.
    var detailBounds = PixelRect.zero

    static let absent = Layer(look: .absent, bounds: .zero, paint: .nothing)

    static func == (a: Layer, b: Layer) -> Bool { a.look == b.look && a.bounds == b.bounds && a.detail == b.detail }

    /// The pixels that differ between `self` and `next`, a layer in the same place of the next frame.
    func damage(to next: Layer) -> [PixelRect] {
        guard self != next else { return [] }
        guard look == next.look, bounds == next.bounds else { return [bounds, next.bounds] }
        return [detailBounds, next.detailBounds]
    }
}

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
