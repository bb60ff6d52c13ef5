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
