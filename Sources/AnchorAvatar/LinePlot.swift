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
        surface.draw { g in
            g.setColor(0xFFFFFF)
            g.paint()
            draw(on: g, width: width, height: height)
        }
        return surface
    }

    private func draw(on g: borrowing DrawingContext, width: Int, height: Int) {
        let all = series.flatMap(\.points)
        guard !all.isEmpty else { return }
        let (left, right, top, bottom) = (90.0, Double(width) - 30, 60.0, Double(height) - 70)
        let xs = Self.range(all.map(\.x)), ys = Self.range(all.map(\.y))
        func px(_ x: Double) -> Double { left + (x - xs.lo) / (xs.hi - xs.lo) * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - ys.lo) / (ys.hi - ys.lo) * (bottom - top) }
        func text(_ g: borrowing DrawingContext, _ s: String, x: Double, y: Double, size: Double = 14, anchor: Double = 0, bold: Bool = false) {
            let image = TextLayout(s, .init(size: size, bold: bold, color: 0x202020, maxWidth: Double(width))).render()
            g.draw(image, x: (x - anchor * Double(image.width)).rounded(), y: (y - Double(image.height) / 2).rounded())
        }

        // Grid and ticks.
        for t in Self.ticks(xs) {
            g.setColor(0xE4E4E4); g.move(to: px(t), top); g.line(to: px(t), bottom); g.stroke(width: 1)
            text(g, Self.label(t), x: px(t), y: bottom + 16, size: 12, anchor: 0.5)
        }
        for t in Self.ticks(ys) {
            g.setColor(0xE4E4E4); g.move(to: left, py(t)); g.line(to: right, py(t)); g.stroke(width: 1)
            text(g, Self.label(t), x: left - 8, y: py(t), size: 12, anchor: 1)
        }
        g.setColor(0x404040)
        g.rectangle(left, top, right - left, bottom - top)
        g.stroke(width: 1)
        text(g, title, x: Double(width) / 2, y: 24, size: 17, anchor: 0.5, bold: true)
        text(g, xLabel, x: (left + right) / 2, y: Double(height) - 22, size: 14, anchor: 0.5)
        text(g, yLabel, x: 12, y: top - 22, size: 14)

        // Series, then the legend in the lower right.
        for s in series {
            g.setColor(s.color)
            let sorted = s.points.sorted { $0.x < $1.x }
            if !s.pointsOnly, let first = sorted.first {
                g.move(to: px(first.x), py(first.y))
                for p in sorted.dropFirst() { g.line(to: px(p.x), py(p.y)) }
                g.stroke(width: 2.5)
            }
            for p in sorted {
                g.circle(px(p.x), py(p.y), radius: s.pointsOnly ? 6 : 4)
                g.fill()
            }
        }
        for (i, s) in series.enumerated() {
            let y = bottom - 20 - Double(series.count - 1 - i) * 22
            g.setColor(s.color)
            g.circle(right - 250, y, radius: 5)
            g.fill()
            text(g, s.name, x: right - 238, y: y, size: 13)
        }
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
