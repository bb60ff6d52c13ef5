import AnchorChat
import AnchorCore
import Foundation

/// Chat and viewer events replayed into an offline performance: they arrive at their times
/// (seconds from the start of the show), messages are moderated and answered with the product
/// on screen at that moment, gifts and follows are thanked as on air, and everything waits in
/// the same `AnswerQueue` as on air — merged and shed as live does — to be spoken one after
/// another at the next line boundary.
public final class ChatFeed {
    private var messages: [ViewerEvent]
    private var next = 0
    private var responder: Responder
    private var queue = AnswerQueue()
    /// Every decision, in arrival order, with its arrival (seconds into the show) and the
    /// sample at which its answer began (if spoken).
    public private(set) var log: [(decision: Decision, arrivedAt: Double, spokenAt: Int?)] = []

    /// Events by kind (messages included).
    public private(set) var counts: [ViewerEvent.Kind: Int] = [:]

    public convenience init(messages: [ChatMessage], responder: Responder) {
        self.init(events: messages.map(ViewerEvent.init), responder: responder)
    }

    public init(events: [ViewerEvent], responder: Responder) {
        // Stable: events at the same time keep their order.
        messages = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        self.responder = responder
    }

    /// The lucky draw taking entries, and when each entry came (seconds into the show).
    private var draw: LuckyDraw?
    private(set) var drawEntryTimes: [Double] = []
    /// How the preview's draws ended, in order.
    public internal(set) var drawOutcomes: [DrawOutcome] = []

    /// The next answer (or thanks) to speak at sample `t`, deciding every event that arrived by
    /// then; `language` is the show's, for viewers who never wrote.
    func nextAnswer(at t: Int, onScreen: String?, rate: Int, language: Language) -> Decision? {
        advance(to: t, onScreen: onScreen, rate: rate, language: language)
        return queue.pop()?.0
    }

    /// Decides every event that arrived by sample `t` (answers wait in the queue).
    func advance(to t: Int, onScreen: String?, rate: Int, language: Language) {
        let now = Double(t) / Double(rate)
        let chatLanguage: ChatText.ChatLanguage = language == .zh ? .zh : .en
        while next < messages.count, messages[next].time <= now {
            let m = messages[next]
            next += 1
            counts[m.kind, default: 0] += 1
            guard let d = responder.take(m, onScreen: onScreen, language: chatLanguage) else { continue }
            if draw?.consider(m, decision: d) == true { drawEntryTimes.append(m.time) }
            log.append((d, m.time, nil))
            queue.add(d, arrivedAt: .now)
        }
        if let (d, first) = responder.dueThanks(at: now) {
            log.append((d, first, nil))
            queue.add(d, arrivedAt: .now)
        }
    }

    /// Questions that joined an answer already waiting, and answers shed (as on air).
    public var merged: Int { queue.merged }
    public var shed: Int { queue.shed }

    /// Marks an answer as spoken at `sample`.
    func spoke(_ d: Decision, at sample: Int) {
        let users = Set(d.user.split(separator: ",").map(String.init))
        for i in log.indices where log[i].spokenAt == nil && (users.contains(log[i].decision.user) || log[i].decision.user == d.user)
            && log[i].decision.topic == d.topic {
            log[i].spokenAt = sample
        }
    }

    /// Events still waiting when the show ended.
    public var pending: Int { messages.count - next }
}

extension ChatFeed: DrawHost {
    public func openDraw(keyword: String) {
        draw = LuckyDraw(keyword: keyword)
        drawEntryTimes = []
    }
    public var drawEntrants: Int { draw?.entrants.count ?? 0 }
    public func closeDraw() -> LuckyDraw? { defer { draw = nil }; return draw }
    public var drawRules: RuleBook? { responder.rules }
}
