import CCairo
import Foundation

/// A small x–y chart drawn with cairo and pango (the libraries the avatar already uses): a
/// few series as lines with points, axes with ticks, a legend. For benchmark figures, e.g.
/// bit rate against SSIM.
public struct LinePlot: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var color: UInt32
        public var points: [(x: Double, y: Double)]
        /// Points only (a single measurement), no line.
        public var pointsOnly = false

        public init(name: String, color: UInt32, points: [(x: Double, y: Double)], pointsOnly: Bool = false) {
            self.name = name; self.color = color; self.points = points; self.pointsOnly = pointsOnly
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]

    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
    }

    /// Draws the chart on a white canvas.
    public func render(width: Int = 960, height: Int = 600) -> CairoSurface {
        let surface = CairoSurface(width: width, height: height)
        let cr = cairo_create(surface.surface)!
        defer { cairo_destroy(cr) }
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        let all = series.flatMap(\.points)
        guard !all.isEmpty else { return surface }
        let (left, right, top, bottom) = (90.0, Double(width) - 30, 60.0, Double(height) - 70)
        let xs = Self.range(all.map(\.x)), ys = Self.range(all.map(\.y))
        func px(_ x: Double) -> Double { left + (x - xs.lo) / (xs.hi - xs.lo) * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - ys.lo) / (ys.hi - ys.lo) * (bottom - top) }

        func text(_ s: String, x: Double, y: Double, size: Double = 14, anchor: Double = 0, bold: Bool = false) {
            let image = TextLayout(s, .init(size: size, bold: bold, color: 0x202020, maxWidth: Double(width))).render()
            cairo_set_source_surface(cr, image.surface, (x - anchor * Double(image.width)).rounded(), (y - Double(image.height) / 2).rounded())
            cairo_paint(cr)
        }
        func color(_ c: UInt32) {
            cairo_set_source_rgb(cr, Double((c >> 16) & 0xFF) / 255, Double((c >> 8) & 0xFF) / 255, Double(c & 0xFF) / 255)
        }

        // Grid and ticks.
        cairo_set_line_width(cr, 1)
        for t in Self.ticks(xs) {
            color(0xE4E4E4); cairo_move_to(cr, px(t), top); cairo_line_to(cr, px(t), bottom); cairo_stroke(cr)
            text(Self.label(t), x: px(t), y: bottom + 16, size: 12, anchor: 0.5)
        }
        for t in Self.ticks(ys) {
            color(0xE4E4E4); cairo_move_to(cr, left, py(t)); cairo_line_to(cr, right, py(t)); cairo_stroke(cr)
            text(Self.label(t), x: left - 8, y: py(t), size: 12, anchor: 1)
        }
        color(0x404040)
        cairo_rectangle(cr, left, top, right - left, bottom - top)
        cairo_stroke(cr)
        text(title, x: Double(width) / 2, y: 24, size: 17, anchor: 0.5, bold: true)
        text(xLabel, x: (left + right) / 2, y: Double(height) - 22, size: 14, anchor: 0.5)
        text(yLabel, x: 12, y: top - 22, size: 14)

        // Series, then the legend in the lower right.
        cairo_set_line_width(cr, 2.5)
        for s in series {
            color(s.color)
            let sorted = s.points.sorted { $0.x < $1.x }
            if !s.pointsOnly, let first = sorted.first {
                cairo_move_to(cr, px(first.x), py(first.y))
                for p in sorted.dropFirst() { cairo_line_to(cr, px(p.x), py(p.y)) }
                cairo_stroke(cr)
            }
            for p in sorted {
                cairo_arc(cr, px(p.x), py(p.y), s.pointsOnly ? 6 : 4, 0, 2 * .pi)
                cairo_fill(cr)
            }
        }
        for (i, s) in series.enumerated() {
            let y = bottom - 20 - Double(series.count - 1 - i) * 22
            color(s.color)
            cairo_arc(cr, right - 250, y, 5, 0, 2 * .pi)
            cairo_fill(cr)
            text(s.name, x: right - 238, y: y, size: 13)
        }
        cairo_surface_flush(surface.surface)
        return surface
    }

    /// The data's range with a little margin, never empty.
    static func range(_ v: [Double]) -> (lo: Double, hi: Double) {
        let lo = v.min() ?? 0, hi = v.max() ?? 1
        let pad = max((hi - lo) * 0.08, abs(hi) * 1e-4, 1e-9)
        return (lo - pad, hi + pad)
    }

    /// About five round tick values inside a range.
    static func ticks(_ r: (lo: Double, hi: Double)) -> [Double] {
        let raw = (r.hi - r.lo) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        var t = (r.lo / step).rounded(.up) * step
        while t <= r.hi, out.count < 12 { out.append(t); t += step }
        return out
    }

    static func label(_ v: Double) -> String {
        if abs(v) >= 100 { return String(format: "%.0f", v) }
        var s = String(format: "%.4f", v)
        while s.contains("."), s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
