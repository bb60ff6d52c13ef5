import Foundation

/// Ten people asking the price get one answer that names them: decisions on the same topic,
/// product and language within `window` seconds are merged, naming up to three askers (by the
/// names that may be spoken). Questions nothing could answer are merged the same way, so a
/// flood of them costs one fallback line per language, not one each.
public struct FloodMerger: Sendable {
    public let window: Double
    private var pending: [String: (first: Double, decision: Decision, askers: [(id: String, name: String?)])] = [:]

    public init(window: Double = 3) { self.window = window }

    /// Adds a decision made at `time`; returns the answers that are due.
    public mutating func add(_ d: Decision, at time: Double) -> [Decision] {
        var due = flush(until: time)
        guard d.reply != nil else { return due }
        // Rules answer a person; facts answer a topic; fallbacks are merged per language.
        guard let key = Self.key(d) else { due.append(d); return due }
        if var p = pending[key] {
            if !p.askers.contains(where: { $0.id == d.user }) { p.askers.append((d.user, d.displayName)) }
            pending[key] = p
        } else {
            pending[key] = (time, d, [(d.user, d.displayName)])
        }
        return due
    }

    /// What answers merge on: facts by topic, product and language; fallbacks by language;
    /// nil for answers to a person (rules).
    public static func key(_ d: Decision) -> String? {
        switch d.source {
        case .facts: d.topic + "|" + (d.productSKU ?? "") + "|" + d.language
        case .fallback: "fallback|" + d.topic + "|" + d.language
        default: nil
        }
    }

    /// Answers whose window has closed by `time` (all of them with `.infinity`).
    public mutating func flush(until time: Double) -> [Decision] {
        let ready = pending.filter { time - $0.value.first >= window }.sorted { $0.value.first < $1.value.first }
        for (k, _) in ready { pending[k] = nil }
        return ready.map { _, p in Self.named(p.decision, p.askers) }
    }

    public static func named(_ d: Decision, _ askers: [(id: String, name: String?)]) -> Decision {
        guard askers.count > 1, let reply = d.reply else { return d }
        var out = d
        let zh = d.language == "zh"
        // Only names that may be spoken are said; the others are counted.
        let speakable = askers.compactMap(\.name)
        let shown = Array(speakable.prefix(3))
        let more = askers.count - shown.count
        let names: String
        if zh {
            names = shown.isEmpty ? "\(askers.count)位朋友" : shown.joined(separator: "、") + (more > 0 ? "等\(askers.count)位" : "")
        } else if shown.isEmpty {
            names = "\(askers.count) of you"
        } else {
            let parts = shown + (more > 0 ? ["\(more) more"] : [])
            names = parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
        }
        if let template = d.mergedReply {
            out.reply = template.replacingOccurrences(of: "{users}", with: names)
        } else if d.source == .facts {
            out.reply = names + (zh ? "问到了：" : " asked: ") + reply
        }
        out.user = askers.map(\.id).joined(separator: ",")
        return out
    }
}
