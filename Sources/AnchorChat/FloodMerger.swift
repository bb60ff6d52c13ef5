import Foundation

/// Ten people asking the price get one answer that names them: decisions on the same topic
/// and product within `window` seconds are merged, naming up to three askers.
public struct FloodMerger: Sendable {
    public let window: Double
    private var pending: [String: (first: Double, decision: Decision, askers: [String])] = [:]

    public init(window: Double = 3) { self.window = window }

    /// Adds a decision made at `time`; returns the answers that are due.
    public mutating func add(_ d: Decision, at time: Double) -> [Decision] {
        var due = flush(until: time)
        guard d.reply != nil else { return due }
        // Rules and fallbacks answer a person; facts answer a topic.
        guard d.source == .facts else { due.append(d); return due }
        let key = d.topic + "|" + (d.productSKU ?? "")
        if var p = pending[key] {
            if !p.askers.contains(d.user) { p.askers.append(d.user) }
            pending[key] = p
        } else {
            pending[key] = (time, d, [d.user])
        }
        return due
    }

    /// Answers whose window has closed by `time` (all of them with `.infinity`).
    public mutating func flush(until time: Double) -> [Decision] {
        let ready = pending.filter { time - $0.value.first >= window }.sorted { $0.value.first < $1.value.first }
        for (k, _) in ready { pending[k] = nil }
        return ready.map { _, p in Self.named(p.decision, p.askers) }
    }

    public static func named(_ d: Decision, _ askers: [String]) -> Decision {
        guard askers.count > 1, let reply = d.reply else { return d }
        var out = d
        let shown = Array(askers.prefix(3))
        let more = askers.count - shown.count
        if d.language == "zh" {
            out.reply = shown.joined(separator: "、") + (more > 0 ? "等\(askers.count)位" : "") + "问到了：" + reply
        } else {
            let names = shown.count == 2 ? shown.joined(separator: " and ") : shown.dropLast().joined(separator: ", ") + " and " + shown.last!
            out.reply = names + (more > 0 ? " and \(more) more" : "") + " asked: " + reply
        }
        out.user = askers.joined(separator: ",")
        return out
    }
}
