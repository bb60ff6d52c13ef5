import AnchorAvatar
import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorMedia
import ArgumentParser
import Foundation
import Synchronization

/// Percent, ETA and speed on a terminal; a plain line every 10 % otherwise.
final class ProgressBar: @unchecked Sendable {
    let isTerminal: Bool
    private var lastDecile = -1
    private var lastDraw = 0.0
    private var drawn = false

    init(isTerminal: Bool) { self.isTerminal = isTerminal }

    func update(_ p: PreviewRenderer.Progress) {
        let fraction = p.fraction
        let speed = p.mediaSeconds / max(0.001, p.elapsed)
        let eta = p.elapsed / max(0.0001, fraction) - p.elapsed
        if isTerminal {
            guard p.elapsed - lastDraw > 0.1 || fraction >= 1 else { return }
            lastDraw = p.elapsed
            let width = 28, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line = String(format: "\r  %3.0f%% ▕%@▏ %.1f s  %.1f× real time  ETA %@ ", fraction * 100, bar, p.mediaSeconds, speed, Self.clock(eta))
            FileHandle.standardError.write(Data(line.utf8))
            drawn = true
        } else {
            let decile = Int(fraction * 10)
            guard decile > lastDecile else { return }
            lastDecile = decile
            Terminal.error(String(format: "progress: %3.0f%% (%.1f s of media, %.1f× real time)", fraction * 100, p.mediaSeconds, speed))
        }
    }

    func finish() { if drawn { FileHandle.standardError.write(Data("\n".utf8)) } }

    static func clock(_ s: Double) -> String {
        guard s.isFinite else { return "--:--" }
        let t = Int(s.rounded())
        return String(format: "%d:%02d", t / 60, t % 60)
    }
}
