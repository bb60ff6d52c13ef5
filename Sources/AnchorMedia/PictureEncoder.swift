import AnchorCore
import Foundation

/// The video codec of a rendition: H.264 everywhere, H.265 for ingests that read Enhanced RTMP.
public enum VideoCodec: String, Sendable, CaseIterable {
    case h264, hevc
}

/// What the live pacer needs of a video encoder (x264 or x265): I420 frames in, length-prefixed
/// access units out, keyframes on request.
public protocol PictureEncoder: AnyObject {
    var codec: VideoCodec { get }
    /// `avcC` or `hvcC`.
    var decoderConfiguration: Data { get }
    /// SPS and PPS (H.264) or VPS, SPS and PPS (H.265).
    var parameterSets: [Data] { get }
    func encode(_ frame: I420Frame, index: Int64, changed: Damage?) -> [EncodedPacket]
    func flush() -> [EncodedPacket]
    func forceKeyframe()
}

extension VideoEncoder: PictureEncoder {
    public var codec: VideoCodec { .h264 }
}
