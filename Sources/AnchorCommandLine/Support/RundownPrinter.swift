import AnchorCore
import Foundation

/// The human form of a rundown: chapters, then each line with its intent, stress, cues and why.
public struct RundownPrinter: Sendable {
    public var color: Bool
    public var reasons: Bool

    public init(color: Bool, reasons: Bool) { (self.color, self.reasons) = (color, reasons) }

    public func render(_ r: Rundown) -> String {
        var out = bold(r.title) + "\n"
        let lines = r.utterances.count
        let facts = ["language \(r.language.rawValue)", "voice \(r.voice)", "avatar \(r.avatar)", "seed \(r.seed)",
                     "\(r.products.count) product\(r.products.count == 1 ? "" : "s")", "\(r.segments.count) segments",
                     "\(lines) lines", "≈ \(Self.clock(SpokenDuration.estimate(r))) spoken"] + (r.loop ? ["loops"] : [])
        out += dim("  " + facts.joined(separator: " · ")) + "\n"
        for (i, segment) in r.segments.enumerated() {
            out += "\n" + bold("§\(i + 1) \(segment.title)") + (segment.productSKU.map { dim("  [\($0)]") } ?? "")
            out += dim("  \(segment.source)") + "\n"
            for event in segment.events {
                switch event {
                case .cue(let cue, _):
                    out += "  " + cyan("▸ " + Self.describe(cue)) + "\n"
                case .say(let u):
                    let tag = u.intent.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                    out += "  " + yellow(tag) + decorate(u) + "\n"
                    if reasons {
                        var why = "↳ " + u.reason.description
                        if !u.particles.isEmpty { why += "; particles " + u.particles.map { u.substring($0) }.joined(separator: " ") }
                        out += "  " + String(repeating: " ", count: 11) + dim(why) + "\n"
                    }
                }
            }
        }
        return out
    }

    /// The text with `*stress*` marked and cues shown where they fall.
    public func decorate(_ u: Utterance) -> String {
        let scalars = Array(u.text.unicodeScalars)
        var out = ""
        for i in 0...scalars.count {
            for cue in u.cues where cue.offset == i {
                if let last = out.unicodeScalars.last, last != " " { out += " " }
                out += cyan("⟨\(Self.describe(cue.cue))⟩") + (i < scalars.count ? " " : "")
            }
            if u.stress.contains(where: { $0.start == i }) { out += color ? "\u{1B}[1;4m" : "*" }
            if u.stress.contains(where: { $0.end == i }) { out += color ? "\u{1B}[0m" : "*" }
            if i < scalars.count { out.unicodeScalars.append(scalars[i]) }
        }
        return out.replacingOccurrences(of: "  ", with: " ").trimmingCharacters(in: .whitespaces)
    }

    public static func describe(_ cue: Cue) -> String {
        switch cue {
        case .pause(let ms): return "pause \(ms)ms"
        case .countdown(let n): return "countdown \(n)"
        case .gesture(let g): return "gesture \(g)"
        case .show(let mode): return "show \(mode.rawValue)"
        case .link(let sku): return "link" + (sku.map { " \($0)" } ?? "")
        case .draw(let keyword, let seconds): return "draw \"\(keyword)\" \(seconds)s"
        case .music(let file): return "music " + (file.map { ($0 as NSString).lastPathComponent } ?? "off")
        case .warmup(let at, let left): return "warm-up: live at \(at), in \(left / 1000)s"
        case .play(let p):
            let length = p.length.map { String(format: " for %.1fs", Double($0) / 1000) } ?? ""
            let volume = p.gain.map { $0 == 0 ? "" : String(format: " volume %+.1fdB", $0) } ?? " mute"
            return "play \((p.file as NSString).lastPathComponent) \(p.placement.rawValue) \(p.waits ? "wait" : "talk")\(volume)" + (p.from > 0 ? " from \(p.from)ms" : "") + length
        }
    }

    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m \(s % 60)s" : "\(s)s"
    }

    private func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    private func bold(_ s: String) -> String { paint(s, "1") }
    private func dim(_ s: String) -> String { paint(s, "2") }
    private func cyan(_ s: String) -> String { paint(s, "36") }
    private func yellow(_ s: String) -> String { paint(s, "33") }
}
