import AnchorAvatar
import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorMedia
import AnchorStream
import ArgumentParser
import Foundation
import NIOPosix

/// One line of live status on a terminal (redrawn), or a plain line every 5 s otherwise.
final class StatusLine: @unchecked Sendable {
    let isTerminal: Bool
    private var lastPlain = -5.0
    private var drawn = false

    init(isTerminal: Bool) { self.isTerminal = isTerminal }

    private var reported: Set<String> = []

    func update(_ s: LiveRenderer.Status) {
        for problem in s.problems where reported.insert(problem).inserted {
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            Terminal.error("warning: \(problem); the show goes on without it")
        }
        let dests = s.destinations.map { d -> String in
            let state: String
            switch d.state {
            case .connecting: state = "connecting"
            case .publishing: state = "live"
            case .waiting(let t, let why): state = String(format: "retry in %.1fs (%@)", t, why)
            case .failed(let why): state = "refused (\(why))"
            case .finished: state = "ended"
            }
            return "\(d.url) \(state), \(d.reconnects) reconnects, dropped \(d.queue.droppedVideo)"
        }.joined(separator: " | ")
        let text = String(format: "%@ %.0f kb/s %.1f fps skipped %d | ", ProgressBar.clock(s.mediaSeconds), s.videoKbps, s.fps, s.framesSkipped) + dests
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K● " + text).utf8))
            drawn = true
        } else if s.elapsed - lastPlain >= 5 {
            lastPlain = s.elapsed
            Terminal.error("status: " + text)
        }
    }

    func finish() { if drawn { FileHandle.standardError.write(Data("\n".utf8)) } }
}
