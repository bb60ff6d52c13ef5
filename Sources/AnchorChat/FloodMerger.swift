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
            if !p.askers.contains(where: { $0.id == d.user }) { p.askers.append((d.user, d.spokenName)) }
            pending[key] = p
        } else {
            pending[key] = (time, d, [(d.user, d.spokenName)])
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
        // Only names that may be spoken are said; the others are counted.
        let names = NameList.spoken(askers.compactMap(\.name), total: askers.count, zh: d.language == "zh")
        if let template = d.mergedReply {
            out.reply = template.replacingOccurrences(of: "{users}", with: names)
        } else if d.source == .facts {
            out.reply = names + (d.language == "zh" ? "问到了：" : " asked: ") + reply
        }
        out.user = askers.map(\.id).joined(separator: ",")
        return out
    }
}
