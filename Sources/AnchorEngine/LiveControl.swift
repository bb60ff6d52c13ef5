import Synchronization

/// Requests to a running show from other threads (the control port, signals), applied by the
/// live loop between frames.
public final class LiveControl: Sendable {
    public enum Request: Sendable {
        case skipSegment
        case pause
        case resume
        case switchTo(Program)
    }

    private let pending = Mutex<[Request]>([])

    public init() {}

    public func send(_ r: Request) { pending.withLock { $0.append(r) } }

    func apply(to director: LiveDirector) {
        let requests = pending.withLock { list in defer { list = [] }; return list }
        for r in requests {
            switch r {
            case .skipSegment: director.skipSegment()
            case .pause: director.pause()
            case .resume: director.paused = false
            case .switchTo(let p): director.switchTo(p)
            }
        }
    }
}
