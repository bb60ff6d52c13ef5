import AnchorChat
import Synchronization

/// Requests to a running show from other threads (the control port, signals), applied by the
/// live loop between frames.
public final class LiveControl: Sendable {
    public enum Request: Sendable {
        case skipSegment
        case pause
        case resume
        case switchTo(Program)
        /// Pin the product link on air.
        case pinLink
        /// Speak this line next (the operator's "say now").
        case say(String)
    }

    private let pending = Mutex<[Request]>([])

    public init() {}

    public func send(_ r: Request) { pending.withLock { $0.append(r) } }

    /// The requests sent since the last call, oldest first.
    func drain() -> [Request] { pending.withLock { list in defer { list = [] }; return list } }

    func apply(to director: LiveDirector) {
        for r in drain() {
            switch r {
            case .skipSegment: director.skipSegment()
            case .pause: director.pause()
            case .resume: director.paused = false
            case .switchTo(let p): director.switchTo(p)
            case .pinLink: director.pinLink()
            case .say(let text): director.say(text, language: ChatText(text).language == .zh ? .zh : .en)
            }
        }
    }
}
