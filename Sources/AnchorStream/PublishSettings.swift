import AnchorMedia
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// What every session sends first, and its limits.
public struct PublishSettings: Sendable {
    public var metadata: FLV.Metadata
    /// AVC decoder configuration record and AAC AudioSpecificConfig (or Opus's `OpusHead`).
    public var videoConfig: Data
    public var audioConfig: Data
    /// Opus and H.265 go out as Enhanced RTMP (announced in `connect` by `fourCcList`).
    public var audioCodec: AudioEncoder.Codec { metadata.audioCodec }
    public var videoCodec: VideoCodec { metadata.videoCodec }
    /// The server is asked to acknowledge every this many bytes.
    public var ackWindow: UInt32 = 131_072
    /// A server that has acknowledged before and then stays silent this long, with more than
    /// a window unacknowledged, is gone (a half-open socket, a frozen server).
    public var ackTimeout: Duration = .seconds(10)
    /// A write that cannot complete this long (the peer stopped reading) ends the session.
    public var stallTimeout: Duration = .seconds(10)
    /// Each step of connect/createStream/publish must be answered within this.
    public var responseTimeout: Duration = .seconds(5)
    public var connectTimeout: Duration = .seconds(5)

    public init(metadata: FLV.Metadata, videoConfig: Data, audioConfig: Data) {
        self.metadata = metadata
        self.videoConfig = videoConfig
        self.audioConfig = audioConfig
    }
}
