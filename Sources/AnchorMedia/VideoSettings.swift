import AnchorCore
import Foundation

/// H.264 encoding settings. Defaults suit live streaming at 720p30.
public struct VideoSettings: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var fps: Int
    public var preset = "veryfast"
    /// `zerolatency` for live; nil for files (allows lookahead).
    public var tune: String? = "zerolatency"
    /// The bit rate: constant (with a VBV buffer of `bufferKbps`), or with `crf` the ceiling.
    public var bitrateKbps = 2_500
    public var maxrateKbps: Int?
    public var bufferKbps: Int?
    /// A quality target (x264's CRF, 0–51, lower is better): a still presenter costs little,
    /// motion takes bits up to `maxrateKbps ?? bitrateKbps` (the VBV ceiling, never exceeded).
    /// Nil: constant bit rate.
    public var crf: Double?
    /// Mathematically lossless (QP 0, High 4:4:4 Predictive): the master quality is measured against.
    public var lossless = false
    public var keyframeSeconds = 2
    /// The H.264 profile: `high` for files and RTMP, `baseline` (constrained baseline) for
    /// WebRTC peers, which advertise only that.
    public var profile = "high"
    /// B-frames: none for live; a file may allow some.
    public var bframes = 0
    /// Encoder threads (1 for benchmarks and for sharing a 2-core machine).
    public var threads = 1
    /// Further x264 options as `key=value:key=value` (x264's own names, as ffmpeg's
    /// `-x264-params`), applied after the preset.
    public var x264Params = ""

    public init(width: Int, height: Int, fps: Int) {
        self.width = width
        self.height = height
        self.fps = fps
    }
}
