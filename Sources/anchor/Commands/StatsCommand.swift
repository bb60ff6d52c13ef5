import AnchorCommandLine
import AnchorStore
import ArgumentParser
import Foundation

/// `anchor stats`: what a night did, per product, from the analytics `anchor run` stores as it airs.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "What the channel did: per product minutes on air, questions asked and answered, latency, viewer events.",
        discussion: """
        'anchor run' stores what happens as it airs (questions and how each was decided, answers \
        heard with their latency, gifts, likes, follows, pinned links, countdowns, reconnects, the \
        operator's commands) in its state database. This prints the summary of a window:

          anchor stats                       the last 12 hours, every channel
          anchor stats --since 7d --channel shop-a
          anchor stats --csv > night.csv     one row per product, for a spreadsheet
          anchor stats --json                everything, with per-minute counts

        'anchor report' draws the same figures as charts, with the analyst's findings.
        """
    )

    @OptionGroup var night: NightOptions

    @Flag(help: "Print JSON (every figure, per minute and per segment).")
    var json = false

    @Flag(help: "Print CSV: one row per channel and product.")
    var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("give --json or --csv, not both") }
    }

    func run() async throws {
        let log = AnalyticsLog(database: try night.database())
        let (from, to) = night.window
        let summaries = try night.channels(log).map { try log.summary(channel: $0, from: from, to: to) }
        if json { try Terminal.printJSON(summaries); return }
        if csv { print(Self.csv(summaries), terminator: ""); return }
        if summaries.isEmpty { print("nothing aired in the last \(night.since)"); return }
        for s in summaries { print(Self.text(s)) }
    }

    static let csvColumns = ["channel", "sku", "minutes_on_air", "questions", "questions_per_minute", "answered_rule", "answered_facts", "fallback",
                             "blocked", "silent", "answered_share", "answers_heard", "latency_p50_s", "latency_p90_s", "unanswered",
                             "gifts", "gift_value", "likes", "follows", "joins", "shares", "paid_messages", "links_pinned", "countdowns"]

    static func csv(_ summaries: [NightSummary]) -> String {
        var out = csvColumns.joined(separator: ",") + "\n"
        func n(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "" }
        for s in summaries {
            for p in s.products {
                let f = p.figures
                let row = [s.channel, p.sku ?? "", n(f.minutesOnAir), "\(f.questions)", n(f.questionsPerMinute), "\(f.rule)", "\(f.facts)", "\(f.fallback)",
                           "\(f.blocked)", "\(f.silent)", n(f.answeredShare), "\(f.answersHeard)", n(f.latencyP50), n(f.latencyP90), "\(f.unanswered)",
                           "\(f.viewer["gift", default: 0])", n(f.giftValue), "\(f.likes)", "\(f.viewer["follow", default: 0])",
                           "\(f.viewer["join", default: 0])", "\(f.viewer["share", default: 0])", "\(f.viewer["paid_message", default: 0])",
                           "\(f.links)", "\(f.countdowns)"]
                out += row.map(escape).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled.
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func text(_ s: NightSummary) -> String {
        let t = s.totals
        let time = DateFormatter()
        time.dateFormat = "yyyy-MM-dd HH:mm"
        var lines = ["\(s.channel): \(time.string(from: s.from)) – \(time.string(from: s.to)), \(minutes(t.minutesOnAir)) on air"]
        lines.append("  questions \(t.questions): \(t.rule) by rules, \(t.facts) from the catalog, \(t.fallback) fallbacks, \(t.blocked) blocked, \(t.silent) silent"
                     + (t.answeredShare.map { String(format: " — %.0f%% answered", $0 * 100) } ?? ""))
        lines.append("  answers heard \(t.answersHeard)" + (t.latencyP50.map { String(format: ", question to answer p50 %.1f s, p90 %.1f s", $0, t.latencyP90 ?? $0) } ?? ""))
        if !t.viewer.isEmpty {
            lines.append("  viewers: " + t.viewer.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                         + (t.likes > 0 ? ", \(t.likes) likes" : "") + (t.giftValue > 0 ? String(format: ", gifts worth %.0f", t.giftValue) : ""))
        }
        if t.links + t.countdowns > 0 { lines.append("  links pinned \(t.links), countdowns \(t.countdowns)") }
        if !s.blockedReasons.isEmpty {
            lines.append("  blocked: " + s.blockedReasons.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        lines.append("")
        lines.append("  " + pad("product", 18) + pad("on air", 9) + pad("asked", 7) + pad("/min", 7) + pad("answered", 10) + pad("fallback", 10) + pad("p50 s", 7) + "top topics")
        for p in s.products {
            let f = p.figures
            lines.append("  " + pad(p.sku ?? "(no product)", 18) + pad(minutes(f.minutesOnAir), 9) + pad("\(f.questions)", 7)
                         + pad(f.questionsPerMinute.map { String(format: "%.1f", $0) } ?? "–", 7)
                         + pad(f.answeredShare.map { String(format: "%.0f%%", $0 * 100) } ?? "–", 10) + pad("\(f.fallback)", 10)
                         + pad(f.latencyP50.map { String(format: "%.1f", $0) } ?? "–", 7)
                         + p.topics.prefix(3).map { "\($0.name) \($0.count)" }.joined(separator: ", "))
        }
        if !s.unanswered.isEmpty {
            lines.append("")
            lines.append("  unanswered (most asked):")
            for u in s.unanswered.prefix(5) { lines.append("    \(u.count)× “\(u.text)”" + (u.productSku.map { " during \($0)" } ?? "")) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func minutes(_ m: Double) -> String {
        m >= 60 ? String(format: "%dh%02dm", Int(m) / 60, Int(m) % 60) : m >= 1 ? String(format: "%.0fm", m) : String(format: "%.0fs", m * 60)
    }

    static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
}
