import AnchorChat
import AnchorCore

/// Where a directed show's viewers come from: the channel's live inbox on air, a replayed log
/// in a preview. The frame loop asks it between frames; the Director speaks what it returns.
public protocol Audience: DrawHost {
    /// Decides on what arrived by `streamTime` (seconds of the show) and returns the answers
    /// (and thanks) to speak, each with how long ago its question arrived.
    func decide(onScreen: String?, language: Language, streamTime: Double) -> [(decision: Decision, waited: Double)]
    /// An answer began in the stream at `streamTime`, `latency` seconds after its question.
    func heard(_ d: Decision, at streamTime: Double, latency: Double)
}
