import AnchorChat
import AnchorCore
import Foundation

/// Chat and viewer events replayed into a preview: they arrive at their times (seconds from
/// the start of the show), are moderated and answered with the product on screen at that
/// moment, and gifts and follows are thanked — by the same Director as on air, which merges,
/// sheds and cuts answers in at word boundaries exactly as it does live.
public final class ChatFeed {
    private var messages: [ViewerEvent]
    private var next = 0
    private var responder: Responder
    /// Every decision, in arrival order, with its arrival (seconds into the show) and the
    /// sample at which its answer began (if spoken).
    public private(set) var log: [(decision: Decision, arrivedAt: Double, spokenAt: Int?)] = []

    /// Events by kind (messages included).
    public private(set) var counts: [ViewerEvent.Kind: Int] = [:]

    /// The lucky draw taking entries.
    private var draw: LuckyDraw?

    public convenience init(messages: [ChatMessage], responder: Responder) {
        self.init(events: messages.map(ViewerEvent.init), responder: responder)
    }

    public init(events: [ViewerEvent], responder: Responder) {
        // Stable: events at the same time keep their order.
        messages = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        self.responder = responder
    }

    /// Events still waiting when the show ended.
    public var pending: Int { messages.count - next }
}

extension ChatFeed: Audience {
    public func decide(onScreen: String?, language: Language, streamTime now: Double) -> [(decision: Decision, waited: Double)] {
        let chatLanguage: ChatText.ChatLanguage = language == .zh ? .zh : .en
        var out: [(decision: Decision, waited: Double)] = []
        while next < messages.count, messages[next].time <= now {
            let m = messages[next]
            next += 1
            counts[m.kind, default: 0] += 1
            guard let d = responder.take(m, onScreen: onScreen, language: chatLanguage) else { continue }
            if m.kind == .message { _ = draw?.consider(m, decision: d) }
            log.append((d, m.time, nil))
            if d.isSpoken { out.append((d, now - m.time)) }
        }
        if let (d, first) = responder.dueThanks(at: now) {
            log.append((d, first, nil))
            out.append((d, now - first))
        }
        return out
    }

    /// Marks the decisions a spoken answer covers (a merged one names several askers).
    public func heard(_ d: Decision, at streamTime: Double, latency: Double) {
        let sample = Int(streamTime * Double(MediaTime.sampleRate))
        let users = Set(d.user.split(separator: ",").map(String.init))
        for i in log.indices where log[i].spokenAt == nil && (users.contains(log[i].decision.user) || log[i].decision.user == d.user)
            && log[i].decision.topic == d.topic {
            log[i].spokenAt = sample
        }
    }

    public func openDraw(keyword: String) { draw = LuckyDraw(keyword: keyword) }
    public var drawEntrants: Int { draw?.entrants.count ?? 0 }
    public func closeDraw() -> LuckyDraw? { defer { draw = nil }; return draw }
    public var drawRules: RuleBook? { responder.rules }
}
