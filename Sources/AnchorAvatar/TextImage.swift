import CCairo
import Foundation

/// Text rasterized with pango (CJK through Noto Sans CJK), cached: most overlay text is the
/// same from frame to frame, so it is laid out once and then blitted.
final class TextImages {
    struct Style: Hashable {
        var size: Double
        var bold = false
        var color: UInt32 = 0xFFFFFF
        var maxWidth: Double
        var maxLines = 1
        var strike = false
        var center = false
    }

    private struct Key: Hashable { var text: String; var style: Style }
    private var cache: [Key: CairoSurface] = [:]
    private var bytes = 0
    /// What the cache may hold: a show's subtitles at 720p are ~0.3 MB each, and a live channel
    /// sees new text (answers, bubbles) all night, so the cache is bounded by size, not count.
    /// A text is drawn for as long as its line lasts, so a hit saves one pango layout a
    /// line: 6 MB holds everything on screen at once many times over, and keeps sixteen
    /// channels of one process from holding 24 MB of old subtitles each.
    static let budget = 6 << 20
    static let family = "Noto Sans CJK SC, DejaVu Sans"

    func image(_ text: String, _ style: Style) -> CairoSurface {
        let key = Key(text: text, style: style)
        if let hit = cache[key] { return hit }
        let image = TextLayout(Self.displayable(text), style).render()
        let size = image.stride * image.height
        if bytes + size > Self.budget {
            cache.removeAll()
            bytes = 0
        }
        cache[key] = image
        bytes += size
        return image
    }

    /// Overlay text without the characters no installed font can draw (emoji become nothing),
    /// and without control characters.
    static func displayable(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { c in
            let cat = c.properties.generalCategory
            return !(c.properties.isEmojiPresentation || cat == .otherSymbol || cat == .control || cat == .format || cat == .privateUse)
                || c == "\n"
        }))
    }
}

/// A pango layout for one piece of text (owns the layout until dropped).
final class TextLayout {
    let layout: OpaquePointer
    let style: TextImages.Style
    /// The context the layout measures with (pango keeps it; cairo keeps its surface).
    private let context: DrawingContext

    init(_ text: String, _ style: TextImages.Style) {
        self.style = style
        context = DrawingContext(CairoSurface(width: 1, height: 1))
        layout = context.makeLayout()
        let desc = pango_font_description_from_string(TextImages.family + (style.bold ? " Bold" : ""))
        pango_font_description_set_absolute_size(desc, style.size * 1024)
        pango_layout_set_font_description(layout, desc)
        pango_font_description_free(desc)
        pango_layout_set_width(layout, Int32(style.maxWidth * 1024))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        if style.maxLines > 0 {
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
            pango_layout_set_height(layout, Int32(-style.maxLines))
        }
        if style.center { pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER) }
        pango_layout_set_text(layout, text, -1)
        if style.strike {
            let attrs = pango_attr_list_new()
            pango_attr_list_insert(attrs, pango_attr_strikethrough_new(1))
            pango_layout_set_attributes(layout, attrs)
            pango_attr_list_unref(attrs)
        }
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

    var pixelSize: (width: Int, height: Int) {
        var w: Int32 = 0, h: Int32 = 0
        pango_layout_get_pixel_size(layout, &w, &h)
        return (Int(w), Int(h))
    }

    func render() -> CairoSurface {
        let (w, h) = pixelSize
        // Centred lines are placed within the wrap width, so the image must be that wide.
        let width = style.center ? Int(style.maxWidth.rounded(.up)) : w
        let image = CairoSurface(width: max(1, width + 2), height: max(1, h + 2))
        image.draw { g in
            g.setColor(style.color)
            g.show(layout, x: 1, y: 1)
        }
        return image
    }

    /// The box of the text between two UTF-8 byte offsets, in pixels (the first line it is on).
    func box(fromByte start: Int, toByte end: Int) -> (x: Double, y: Double, width: Double, height: Double) {
        var a = PangoRectangle(), b = PangoRectangle()
        pango_layout_index_to_pos(layout, Int32(start), &a)
        pango_layout_index_to_pos(layout, Int32(max(start, end - 1)), &b)
        let x0 = Double(min(a.x, a.x + a.width)) / 1024
        let x1 = b.y == a.y ? Double(max(b.x, b.x + b.width)) / 1024 : x0 + Double(abs(a.width)) / 1024
        return (x0, Double(a.y) / 1024, max(1, x1 - x0), Double(a.height) / 1024)
    }
}
