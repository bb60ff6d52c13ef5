import Foundation

/// What `/healthz` and `/readyz` mean, per channel.
extension Board.Snapshot {
    /// Seconds without a status from a running frame loop after which it counts as stuck.
    public static let stallSeconds = 15.0

    /// Why the process should be restarted: a frame loop that started has stopped turning
    /// (nil: healthy). A channel that ended, failed or has not started yet is not stuck.
    public func healthProblem(now: Date = Date()) -> String? {
        guard let updatedAt, !ended else { return nil }
        let silent = now.timeIntervalSince(updatedAt)
        return silent > Self.stallSeconds ? String(format: "the frame loop has not reported for %.0f s", silent) : nil
    }

    /// Why the channel should not be counted as serving (nil: ready): it has not started, has
    /// failed or ended, or none of its destinations is live.
    public func readinessProblem() -> String? {
        if let failure { return "failed: \(failure)" }
        if ended { return "ended" }
        guard updatedAt != nil else { return "starting" }
        if !destinations.isEmpty, !destinations.contains(where: \.live) {
            return "no destination live (" + destinations.map(\.state).joined(separator: "; ") + ")"
        }
        return nil
    }
}
