import AnchorChat
import AnchorCore
import Foundation

/// Chat replayed into an offline performance: messages arrive at their times (seconds from
/// the start of the show), are moderated and answered with the product on screen at that
/// moment, and wait in the same `AnswerQueue` as on air — merged and shed as live does —
/// to be spoken one after another at the next line boundary.
public final class ChatFeed {
    private var messages: [ChatMessage]
    private var next = 0
    private var responder: Responder
    private var queue = AnswerQueue()
    /// Every decision, in arrival order, with its arrival (seconds into the show) and the
    /// sample at which its answer began (if spoken).
    public private(set) var log: [(decision: Decision, arrivedAt: Double, spokenAt: Int?)] = []

    public init(messages: [ChatMessage], responder: Responder) {
        self.messages = messages.sorted { $0.time < $1.time }
        self.responder = responder
    }

    /// The next answer to speak at sample `t`, deciding every message that arrived by then.
    func nextAnswer(at t: Int, onScreen: String?, rate: Int) -> Decision? {
        let now = Double(t) / Double(rate)
        while next < messages.count, messages[next].time <= now {
            let m = messages[next]
            next += 1
            let d = responder.decide(m, onScreen: onScreen)
            log.append((d, m.time, nil))
            queue.add(d, arrivedAt: .now)
        }
        return queue.pop()?.0
    }

    /// Questions that joined an answer already waiting, and answers shed (as on air).
    public var merged: Int { queue.merged }
    public var shed: Int { queue.shed }

    /// Marks an answer as spoken at `sample`.
    func spoke(_ d: Decision, at sample: Int) {
        let users = Set(d.user.split(separator: ",").map(String.init))
        for i in log.indices where log[i].spokenAt == nil && users.contains(log[i].decision.user) && log[i].decision.topic == d.topic {
            log[i].spokenAt = sample
        }
    }

    /// Questions still waiting when the show ended.
    public var pending: Int { messages.count - next }
}
