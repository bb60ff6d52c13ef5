import CCairo
import CRsvg

/// cairo's drawing context, wrapped once: paths, colours, images, clips, groups, gradients, and
/// the pango layouts and SVG layers drawn through it. It owns its `cairo_t` and cannot be copied
/// or escape: a surface hands one to `CairoSurface.draw`'s body and destroys it after.
struct DrawingContext: ~Copyable {
    private let cr: OpaquePointer

    /// A context on `surface` (cairo keeps the surface alive while the context lives).
    init(_ surface: CairoSurface) {
        // cairo_create never returns NULL: on failure it returns a context in an error state,
        // on which every call is a no-op.
        cr = cairo_create(surface.surface)
    }

    deinit { cairo_destroy(cr) }

    // MARK: State

    /// Runs `body` and puts the transform, clip, source and operator back as they were.
    func saved(_ body: (borrowing DrawingContext) -> Void) {
        cairo_save(cr)
        body(self)
        cairo_restore(cr)
    }

    func translate(_ x: Double, _ y: Double) { cairo_translate(cr, x, y) }
    func scale(_ x: Double, _ y: Double) { cairo_scale(cr, x, y) }
    func rotate(degrees: Double) { cairo_rotate(cr, degrees * .pi / 180) }

    /// How what is painted combines with what is there.
    enum Operator { case over, replace }

    func setOperator(_ op: Operator) {
        cairo_set_operator(cr, op == .over ? CAIRO_OPERATOR_OVER : CAIRO_OPERATOR_SOURCE)
    }

    /// Restricts drawing to the current path (which it consumes), within any clip already set.
    func clip() { cairo_clip(cr) }

    // MARK: Sources

    /// A colour as 0xRRGGBB, opaque.
    func setColor(_ rgb: UInt32) {
        cairo_set_source_rgb(cr, Double((rgb >> 16) & 0xFF) / 255, Double((rgb >> 8) & 0xFF) / 255, Double(rgb & 0xFF) / 255)
    }

    func setColor(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        if alpha == 1 { cairo_set_source_rgb(cr, red, green, blue) } else { cairo_set_source_rgba(cr, red, green, blue, alpha) }
    }

    /// A colour stop of a gradient: where (0…1) and the colour.
    struct Stop {
        var offset: Double
        var red: Double, green: Double, blue: Double, alpha = 1.0
    }

    /// Paints a gradient from (x0, y0) to (x1, y1) over the clip.
    func paintLinearGradient(from x0: Double, _ y0: Double, to x1: Double, _ y1: Double, _ stops: [Stop]) {
        paint(pattern: cairo_pattern_create_linear(x0, y0, x1, y1), stops)
    }

    /// Paints a gradient between two circles (centre and radius each) over the clip.
    func paintRadialGradient(centre x: Double, _ y: Double, radius r0: Double, to r1: Double, _ stops: [Stop]) {
        paint(pattern: cairo_pattern_create_radial(x, y, r0, x, y, r1), stops)
    }

    private func paint(pattern: OpaquePointer, _ stops: [Stop]) {
        defer { cairo_pattern_destroy(pattern) }
        for s in stops { cairo_pattern_add_color_stop_rgba(pattern, s.offset, s.red, s.green, s.blue, s.alpha) }
        cairo_set_source(cr, pattern)
        cairo_paint(cr)
    }

    // MARK: Painting

    /// Paints the source over the whole clip.
    func paint(alpha: Double = 1) {
        if alpha == 1 { cairo_paint(cr) } else { cairo_paint_with_alpha(cr, alpha) }
    }

    /// Paints `image` with its top-left corner at (x, y).
    func draw(_ image: CairoSurface, x: Double, y: Double, alpha: Double = 1) {
        cairo_set_source_surface(cr, image.surface, x, y)
        paint(alpha: alpha)
    }

    /// Draws `body` on a layer of its own, then paints the layer with `alpha` (a fade of a
    /// whole overlay, not of each of its parts).
    func group(alpha: Double, _ body: (borrowing DrawingContext) -> Void) {
        cairo_push_group(cr)
        body(self)
        cairo_pop_group_to_source(cr)
        paint(alpha: alpha)
    }

    // MARK: Paths

    func move(to x: Double, _ y: Double) { cairo_move_to(cr, x, y) }
    func line(to x: Double, _ y: Double) { cairo_line_to(cr, x, y) }
    func curve(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, to x3: Double, _ y3: Double) { cairo_curve_to(cr, x1, y1, x2, y2, x3, y3) }
    func closePath() { cairo_close_path(cr) }
    func rectangle(_ x: Double, _ y: Double, _ w: Double, _ h: Double) { cairo_rectangle(cr, x, y, w, h) }
    func circle(_ cx: Double, _ cy: Double, radius: Double) { cairo_arc(cr, cx, cy, radius, 0, 2 * .pi) }

    /// A rectangle with corners of radius `r` (at most half a side).
    func roundedRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ r: Double) {
        let r = min(r, w / 2, h / 2)
        cairo_new_sub_path(cr)
        cairo_arc(cr, x + w - r, y + r, r, -.pi / 2, 0)
        cairo_arc(cr, x + w - r, y + h - r, r, 0, .pi / 2)
        cairo_arc(cr, x + r, y + h - r, r, .pi / 2, .pi)
        cairo_arc(cr, x + r, y + r, r, .pi, 3 * .pi / 2)
        cairo_close_path(cr)
    }

    /// Fills the path with the source, and clears it.
    func fill() { cairo_fill(cr) }

    /// Strokes the path with the source, and clears it.
    func stroke(width: Double) {
        cairo_set_line_width(cr, width)
        cairo_stroke(cr)
    }

    // MARK: Text and SVG

    /// Shows a pango layout with its top-left corner at (x, y), in the current colour.
    func show(_ layout: OpaquePointer, x: Double, y: Double) {
        cairo_move_to(cr, x, y)
        pango_cairo_update_layout(cr, layout)
        pango_cairo_show_layout(cr, layout)
    }

    /// A new pango layout for this context's font options (the caller unrefs it). pango
    /// returns NULL only for a NULL context, which a DrawingContext never has.
    func makeLayout() -> OpaquePointer { pango_cairo_create_layout(cr) }

    /// Renders one layer (an element id, or nil for the whole document) of an SVG into `viewport`;
    /// throws librsvg's message.
    func render(svg handle: UnsafeMutablePointer<RsvgHandle>, layer: String?, viewport: RsvgRectangle) throws(SVGError) {
        var viewport = viewport
        let (ok, message) = GLibError.call { error in rsvg_handle_render_layer(handle, cr, layer, &viewport, &error) }
        if ok == 0 { throw SVGError(message: message ?? "librsvg could not render \(layer ?? "the document")") }
    }

    struct SVGError: Error { var message: String }
}
