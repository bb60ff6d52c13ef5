import AnchorStore
import Foundation

/// Charts as inline SVG, drawn here rather than by a chart library: the report must open with no
/// network and no script, print sharply (vectors) and follow the reader's colours — every mark
/// takes its colour from a CSS class whose variables change in dark mode and in print.
enum SVGChart {
    /// The night: chat per minute as bars over shaded product segments, answers and fallbacks as
    /// ticks under the axis, reconnects and problems as red lines.
    static func timeline(_ s: NightSummary, width: Double = 1000, height: Double = 240) -> String {
        let left = 36.0, right = 8.0, top = 22.0, axis = height - 44
        let span = max(60, s.to.timeIntervalSince(s.from))
        func x(_ d: Date) -> Double { left + (width - left - right) * min(1, max(0, d.timeIntervalSince(s.from) / span)) }
        // Long nights are drawn in 5-minute buckets (averaged per minute) to keep the file small.
        let bucket = s.minutes.count > 360 ? 5 : 1
        var values: [(start: Date, perMinute: Double, answers: Int, fallbacks: Int)] = []
        for i in stride(from: 0, to: s.minutes.count, by: bucket) {
            let chunk = s.minutes[i..<min(i + bucket, s.minutes.count)]
            values.append((chunk.first!.start, Double(chunk.reduce(0) { $0 + $1.questions }) / Double(chunk.count),
                           chunk.reduce(0) { $0 + $1.answers }, chunk.reduce(0) { $0 + $1.fallbacks }))
        }
        let top1 = niceCeiling(values.map(\.perMinute).max() ?? 0)
        func y(_ v: Double) -> Double { axis - (axis - top) * v / top1 }
        var out = "<svg class=\"chart timeline\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"chat per minute through the night, with product segments\">"
        // Product segments, shaded in turn, labelled when wide enough.
        for (i, seg) in s.segments.enumerated() {
            let x0 = x(seg.start), x1 = x(seg.end)
            guard x1 - x0 >= 0.5 else { continue }
            out += "<rect class=\"seg s\(i % 2)\" x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(x1 - x0))\" height=\"\(f(axis - top))\"><title>\(esc(seg.sku ?? seg.segment)) · \(esc(seg.segment))</title></rect>"
            if x1 - x0 > 60 {
                out += "<text class=\"seglabel\" x=\"\(f(x0 + 3))\" y=\"\(f(top - 6))\">\(esc(String((seg.sku ?? seg.segment).prefix(Int((x1 - x0) / 6)))))</text>"
            }
        }
        // Grid and y labels.
        for k in 0...2 {
            let v = top1 * Double(k) / 2
            out += "<line class=\"grid\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\"/>"
            out += "<text class=\"tick\" x=\"\(f(left - 4))\" y=\"\(f(y(v) + 3))\" text-anchor=\"end\">\(num(v))</text>"
        }
        // Bars.
        let barWidth = max(0.6, (width - left - right) * Double(bucket) * 60 / span - 0.4)
        for v in values where v.perMinute > 0 {
            out += "<rect class=\"bar\" x=\"\(f(x(v.start)))\" y=\"\(f(y(v.perMinute)))\" width=\"\(f(barWidth))\" height=\"\(f(axis - y(v.perMinute)))\"/>"
        }
        out += "<line class=\"axis\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(axis))\" y2=\"\(f(axis))\"/>"
        // Under the axis, a tick for each minute (or bucket) with answers, and one below for
        // fallbacks; red lines for reconnects and problems.
        for v in values {
            let mx = x(v.start) + barWidth / 2
            if v.answers > 0 { out += "<line class=\"mark answer\" x1=\"\(f(mx))\" x2=\"\(f(mx))\" y1=\"\(f(axis + 3))\" y2=\"\(f(axis + 10))\"/>" }
            if v.fallbacks > 0 { out += "<line class=\"mark fallback\" x1=\"\(f(mx))\" x2=\"\(f(mx))\" y1=\"\(f(axis + 12))\" y2=\"\(f(axis + 19))\"/>" }
        }
        for m in s.marks where m.kind == "reconnect" || m.kind == "problem" {
            let mx = x(m.at)
            out += "<line class=\"mark trouble\" x1=\"\(f(mx))\" x2=\"\(f(mx))\" y1=\"\(f(top))\" y2=\"\(f(axis))\"><title>\(esc(m.kind)): \(esc(m.detail))</title></line>"
        }
        // Hour ticks (or every 10 minutes on a short window).
        let step: Double = span > 4 * 3600 ? 3600 : span > 3600 ? 1800 : 600
        var t = (s.from.timeIntervalSince1970 / step).rounded(.up) * step
        let clock = DateFormatter()
        clock.dateFormat = "HH:mm"
        while t <= s.to.timeIntervalSince1970 {
            let d = Date(timeIntervalSince1970: t)
            out += "<text class=\"tick\" x=\"\(f(x(d)))\" y=\"\(f(height - 14))\" text-anchor=\"middle\">\(clock.string(from: d))</text>"
            t += step
        }
        out += "<text class=\"tick\" x=\"\(f(left))\" y=\"\(f(height - 2))\">▮ chat/min · ▏answers (upper row) · ▏fallbacks (lower row) · red: reconnects and problems</text>"
        return out + "</svg>"
    }

    /// Horizontal bars, one per row, with the value written after the bar.
    static func bars(_ rows: [(label: String, value: Double, text: String)], width: Double = 520, label: String) -> String {
        let rowHeight = 22.0, labelWidth = 150.0
        let height = Double(rows.count) * rowHeight + 6
        let top1 = max(rows.map(\.value).max() ?? 0, 1e-9)
        var out = "<svg class=\"chart bars\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(esc(label))\">"
        for (i, r) in rows.enumerated() {
            let y0 = Double(i) * rowHeight + 3
            let w = (width - labelWidth - 70) * r.value / top1
            out += "<text class=\"label\" x=\"\(f(labelWidth - 6))\" y=\"\(f(y0 + 14))\" text-anchor=\"end\">\(esc(String(r.label.prefix(22))))</text>"
            out += "<rect class=\"bar\" x=\"\(f(labelWidth))\" y=\"\(f(y0 + 2))\" width=\"\(f(max(w, r.value > 0 ? 1 : 0)))\" height=\"\(f(rowHeight - 6))\"/>"
            out += "<text class=\"value\" x=\"\(f(labelWidth + w + 5))\" y=\"\(f(y0 + 14))\">\(esc(r.text))</text>"
        }
        return out + "</svg>"
    }

    /// Answered / fallback / blocked shares per row as stacked bars.
    static func shares(_ rows: [(label: String, parts: [Int])], classes: [String], width: Double = 520, label: String) -> String {
        let rowHeight = 22.0, labelWidth = 150.0
        let height = Double(rows.count) * rowHeight + 6
        var out = "<svg class=\"chart shares\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(esc(label))\">"
        for (i, r) in rows.enumerated() {
            let y0 = Double(i) * rowHeight + 3
            let total = r.parts.reduce(0, +)
            out += "<text class=\"label\" x=\"\(f(labelWidth - 6))\" y=\"\(f(y0 + 14))\" text-anchor=\"end\">\(esc(String(r.label.prefix(22))))</text>"
            var x0 = labelWidth
            for (k, part) in r.parts.enumerated() where total > 0 && part > 0 {
                let w = (width - labelWidth - 10) * Double(part) / Double(total)
                out += "<rect class=\"\(classes[k])\" x=\"\(f(x0))\" y=\"\(f(y0 + 2))\" width=\"\(f(w))\" height=\"\(f(rowHeight - 6))\"><title>\(part)</title></rect>"
                x0 += w
            }
            if total == 0 { out += "<text class=\"value\" x=\"\(f(labelWidth))\" y=\"\(f(y0 + 14))\">no questions</text>" }
        }
        return out + "</svg>"
    }

    /// 1, 2, 5 × 10ⁿ at or above `v`.
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        let p = pow(10, floor(log10(v)))
        for m in [1.0, 2, 5, 10] where m * p >= v { return m * p }
        return 10 * p
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }
    static func num(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
    static func esc(_ s: String) -> String { StatusPage.escape(s) }
}
