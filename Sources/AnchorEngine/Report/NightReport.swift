import AnchorStore
import Foundation

/// The morning report: one self-contained HTML file (no script, no network) with the night's
/// timeline, per-product figures and charts, the analyst's findings and the questions nobody
/// answered. Colours come from CSS variables that follow dark mode and switch to ink in print.
public enum NightReport {
    public static func html(_ summaries: [NightSummary], findings: [[Analyst.Finding]], replayLink: String?, generatedAt: Date = Date()) -> String {
        let stamp = DateFormatter()
        stamp.dateFormat = "yyyy-MM-dd HH:mm"
        let title = "anchor · night report · " + summaries.map(\.channel).joined(separator: ", ")
        var body = "<header><h1>Night report</h1><p class=\"muted\">" + (summaries.first.map { "\(stamp.string(from: $0.from)) – \(stamp.string(from: $0.to))" } ?? "")
            + " · written \(stamp.string(from: generatedAt))" + (replayLink.map { " · <a href=\"\(esc($0))\">replay with a node per product</a>" } ?? "") + "</p></header>"
        if summaries.isEmpty { body += "<p>Nothing aired in this window.</p>" }
        for (s, found) in zip(summaries, findings) { body += channel(s, found) }
        return """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>\(esc(title))</title><style>\(css)</style></head><body>\(body)</body></html>
        """
    }

    static func channel(_ s: NightSummary, _ findings: [Analyst.Finding]) -> String {
        let t = s.totals
        var out = "<section class=\"channel\" id=\"channel-\(esc(s.channel))\"><h2>\(esc(s.channel))</h2><div class=\"cards\">"
        func card(_ label: String, _ value: String) { out += "<div class=\"card\"><div class=\"v\">\(esc(value))</div><div class=\"k\">\(esc(label))</div></div>" }
        card("on air", duration(t.minutesOnAir))
        card("questions", "\(t.questions)")
        card("answered", t.answeredShare.map { String(format: "%.0f%%", $0 * 100) } ?? "–")
        card("question → voice, p50", t.latencyP50.map { String(format: "%.1f s", $0) } ?? "–")
        card("unanswered", "\(t.unanswered)")
        card("blocked", "\(t.blocked)")
        card(t.giftValue > 0 ? String(format: "gifts, worth %.0f", t.giftValue) : "gifts", "\(t.viewer["gift", default: 0])")
        card("likes", "\(t.likes)")
        card("follows", "\(t.viewer["follow", default: 0])")
        out += "</div>"

        out += "<h3>The night</h3><figure>\(SVGChart.timeline(s))</figure>"

        out += "<h3>What the analyst found</h3>"
        if findings.isEmpty {
            out += "<p class=\"muted\">Nothing stood out: every question had an answer, chat held up in every segment, no reconnects.</p>"
        } else {
            out += "<ol class=\"findings\">"
            for f in findings {
                out += "<li class=\"finding \(f.kind.rawValue)\"><p class=\"title\">\(esc(f.title))</p>"
                if let d = f.detail { out += "<p>\(esc(d))</p>" }
                if let draft = f.draft { out += "<pre>\(esc(draft))</pre>" }
                out += "</li>"
            }
            out += "</ol>"
        }

        let products = s.products.filter { $0.sku != nil || $0.figures.questions > 0 }
        out += "<h3>Per product</h3><div class=\"two\"><figure><figcaption>questions per on-air minute</figcaption>"
        out += SVGChart.bars(products.map { p in
            (p.sku ?? "(no product)", p.figures.questionsPerMinute ?? 0, p.figures.questionsPerMinute.map { String(format: "%.1f/min", $0) } ?? "–")
        }, label: "questions per on-air minute per product")
        out += "</figure><figure><figcaption>how questions were decided: <span class=\"key rule\">rule</span> <span class=\"key facts\">catalog</span> <span class=\"key fallback\">fallback</span> <span class=\"key blocked\">blocked</span></figcaption>"
        out += SVGChart.shares(products.map { p in (p.sku ?? "(no product)", [p.figures.rule, p.figures.facts, p.figures.fallback, p.figures.blocked]) },
                               classes: ["rule", "facts", "fallback", "blocked"], label: "answered, fallback and blocked per product")
        out += "</figure></div>"
        out += "<table class=\"products\"><thead><tr><th>product</th><th>on air</th><th>questions</th><th>/min</th><th>answered</th><th>p50 s</th><th>top topics</th><th>gifts</th><th>likes</th><th>links</th><th>countdowns</th></tr></thead><tbody>"
        for p in products {
            let f = p.figures
            out += "<tr><td>\(esc(p.sku ?? "(no product)"))</td><td>\(duration(f.minutesOnAir))</td><td>\(f.questions)</td>"
                + "<td>\(f.questionsPerMinute.map { String(format: "%.1f", $0) } ?? "–")</td><td>\(f.answeredShare.map { String(format: "%.0f%%", $0 * 100) } ?? "–")</td>"
                + "<td>\(f.latencyP50.map { String(format: "%.1f", $0) } ?? "–")</td><td>\(esc(p.topics.prefix(3).map { "\($0.name) \($0.count)" }.joined(separator: ", ")))</td>"
                + "<td>\(f.viewer["gift", default: 0])\(f.giftValue > 0 ? String(format: " (%.0f)", f.giftValue) : "")</td><td>\(f.likes)</td><td>\(f.links)</td><td>\(f.countdowns)</td></tr>"
        }
        out += "</tbody></table>"

        if !s.unanswered.isEmpty {
            out += "<h3>Questions nobody answered</h3><table><thead><tr><th>asked</th><th>question</th><th>while on air</th><th>language</th></tr></thead><tbody>"
            for u in s.unanswered.prefix(30) {
                out += "<tr><td>\(u.count)</td><td>\(esc(u.text))</td><td>\(esc(u.productSku ?? "–"))</td><td>\(esc(u.language))</td></tr>"
            }
            out += "</tbody></table>"
        }
        if !s.blockedReasons.isEmpty {
            out += "<h3>Blocked</h3><p>" + s.blockedReasons.sorted { $0.value > $1.value }.map { "\(esc($0.key)): \($0.value)" }.joined(separator: " · ") + "</p>"
        }
        return out + "</section>"
    }

    static func duration(_ minutes: Double) -> String {
        minutes >= 60 ? String(format: "%dh %02dm", Int(minutes) / 60, Int(minutes) % 60) : minutes >= 1 ? String(format: "%.0f min", minutes) : String(format: "%.0f s", minutes * 60)
    }

    static func esc(_ s: String) -> String { StatusPage.escape(s) }

    static let css = """
    :root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#5f5f5f;--card:#f5f5f5;--line:#d0d0d0;--bar:#1565c0;--seg0:#e3f2fd;--seg1:#f3e5f5;
      --rule:#2e7d32;--facts:#1565c0;--fallback:#ef6c00;--blocked:#c62828;--answer:#2e7d32}
    @media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#e8e8e8;--muted:#a8a8a8;--card:#1e1e1e;--line:#3a3a3a;--bar:#64b5f6;--seg0:#1b2733;--seg1:#2a1f2e;
      --rule:#81c784;--facts:#64b5f6;--fallback:#ffb74d;--blocked:#ef5350;--answer:#81c784}}
    @media print{:root{--bg:#fff;--fg:#000;--muted:#333;--card:#fff;--line:#999;--bar:#333;--seg0:#eee;--seg1:#fff;--rule:#000;--facts:#555;--fallback:#999;--blocked:#ccc;--answer:#000}
      .card{border:1px solid var(--line)}section{break-inside:avoid-page}a{color:inherit}}
    body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70em;padding:1em 1.5em;background:var(--bg);color:var(--fg)}
    h1{margin:.2em 0}h2{border-bottom:2px solid var(--line);padding-bottom:.2em;margin-top:1.4em}h3{margin:1.2em 0 .4em}.muted{color:var(--muted)}
    a{color:var(--bar)}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9em,1fr));gap:.6em}
    .card{background:var(--card);border-radius:.4em;padding:.6em .8em}.card .v{font-size:1.5em;font-weight:600}.card .k{color:var(--muted);font-size:.9em}
    figure{margin:.4em 0}figcaption{color:var(--muted);font-size:.9em;margin-bottom:.2em}.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(24em,1fr));gap:1em}
    svg.chart{width:100%;height:auto;display:block}svg text{fill:var(--muted);font-size:11px}svg .seglabel{fill:var(--fg);font-size:10px}svg .label{fill:var(--fg)}
    svg .bar{fill:var(--bar)}svg .seg.s0{fill:var(--seg0)}svg .seg.s1{fill:var(--seg1)}svg .grid{stroke:var(--line);stroke-dasharray:2 3}svg .axis{stroke:var(--fg)}
    svg .mark.answer{stroke:var(--answer)}svg .mark.fallback{stroke:var(--fallback)}svg .mark.trouble{stroke:var(--blocked);stroke-width:2}
    svg .rule,.key.rule{fill:var(--rule);background:var(--rule)}svg .facts,.key.facts{fill:var(--facts);background:var(--facts)}
    svg .fallback,.key.fallback{fill:var(--fallback);background:var(--fallback)}svg .blocked,.key.blocked{fill:var(--blocked);background:var(--blocked)}
    .key{display:inline-block;padding:0 .4em;border-radius:.2em;color:var(--bg)}
    .findings{padding-left:1.4em}.finding{margin:.6em 0}.finding .title{font-weight:600;margin:0}.finding p{margin:.1em 0}
    pre{background:var(--card);padding:.6em;border-radius:.3em;overflow:auto;font-size:12px}
    table{border-collapse:collapse;width:100%;margin:.4em 0}th,td{text-align:left;padding:.25em .5em;border-bottom:1px solid var(--line);vertical-align:top}
    """
}
