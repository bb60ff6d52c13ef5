import Foundation

/// A compressed frame, ready to mux.
public struct EncodedPacket: Sendable {
    public enum Kind: Sendable { case video, audio }
    public var kind: Kind
    /// AVCC (video) or raw AAC/Opus frames (audio).
    public var data: Data
    /// Presentation and decoding time in the stream's time base (video: frames; audio: samples at 48 kHz).
    public var pts: Int64
    public var dts: Int64
    public var duration: Int64
    public var isKeyframe: Bool

    public init(kind: Kind, data: Data, pts: Int64, dts: Int64, duration: Int64, isKeyframe: Bool) {
        self.kind = kind; self.data = data; self.pts = pts; self.dts = dts; self.duration = duration; self.isKeyframe = isKeyframe
    }
}
