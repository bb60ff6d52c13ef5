import AnchorChat
import AnchorCore
import Foundation

/// Turns what a live channel reports — decisions, viewer events, markers, status — into air
/// events. Called on the live loop (decisions, markers, status) and on any thread (viewer events);
/// each call is an append under a lock.
extension AnalyticsWriter {
    /// A chat message decided (thanks and paid messages are counted as viewer events instead).
    public func record(decision d: Decision) {
        guard d.source != .thanks, d.source != .paid else { return }
        record(.question, productSku: d.productSKU, source: d.source.rawValue, detail: d.detail, topic: d.topic, language: d.language,
               user: d.user, text: d.question)
    }

    public func record(viewer e: ViewerEvent) {
        record(.viewer, at: Date(timeIntervalSince1970: e.time), detail: e.kind.rawValue, user: e.user, text: e.gift ?? e.text,
               value: e.kind == .gift ? e.value : e.kind == .paidMessage ? e.amount : nil, count: e.count)
    }

    public func record(unanswered m: ChatMessage, language: String) {
        record(.unanswered, language: language, user: m.user, text: m.text)
    }

    /// A marker the audio reached: segments, answers heard, pinned links, countdowns.
    public func record(marker m: LiveDirector.Marker) {
        switch m.kind {
        case .segment(let title, let sku):
            enter(show: m.program, segment: title, productSku: sku)
        case .answer(let d, let arrivedAt):
            let latency = d.source == .console ? nil : max(0, Double(m.at) / Double(MediaTime.sampleRate) - arrivedAt)
            record(.answer, productSku: d.productSKU, source: d.source.rawValue, detail: d.detail, topic: d.topic, language: d.language,
                   user: d.user, text: d.mergedReply ?? d.reply, value: latency)
        case .cue(.link(let sku)):
            record(.link, productSku: sku)
        case .cue(.countdown(let n)):
            record(.countdown, value: Double(n))
        case .line, .draw, .cue:
            break
        }
    }

    /// Reconnects (a destination's count went up) and problems new since the last status.
    public func record(status s: LiveRenderer.Status) {
        let (reconnects, problems) = watch.withLock { w -> ([(String, String?)], [String]) in
            var reconnects: [(String, String?)] = []
            for d in s.destinations {
                if d.reconnects > w.reconnects[d.url, default: 0] { reconnects.append((d.url, d.lastError)) }
                w.reconnects[d.url] = d.reconnects
            }
            let problems = s.problems.filter { w.problems.insert($0).inserted }
            return (reconnects, problems)
        }
        for (url, why) in reconnects { record(.reconnect, detail: url, text: why) }
        for p in problems { record(.problem, detail: p) }
    }
}
