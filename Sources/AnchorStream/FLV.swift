import AnchorMedia
import Foundation
import NIOCore

/// FLV tag bodies as RTMP audio/video/data messages carry them (H.264 + AAC).
public enum FLV {
    /// What a stream announces in `@setDataFrame onMetaData`.
    public struct Metadata: Sendable {
        public var width: Int
        public var height: Int
        public var fps: Int
        public var videoKbps: Int
        public var audioKbps: Int
        public init(width: Int, height: Int, fps: Int, videoKbps: Int, audioKbps: Int) {
            self.width = width; self.height = height; self.fps = fps; self.videoKbps = videoKbps; self.audioKbps = audioKbps
        }
    }

    static let avcCodec: UInt8 = 7
    /// AAC, "44 kHz", 16-bit, "stereo": the fixed first byte FLV uses for every AAC tag.
    static let aacHeader: UInt8 = 0xAF

    public static func metadata(_ m: Metadata) -> ByteBuffer {
        AMF0.encode([.string("@setDataFrame"), .string("onMetaData"), .ecmaArray([
            ("duration", .number(0)), ("width", .number(Double(m.width))), ("height", .number(Double(m.height))),
            ("videodatarate", .number(Double(m.videoKbps))), ("framerate", .number(Double(m.fps))),
            ("videocodecid", .number(Double(avcCodec))), ("audiodatarate", .number(Double(m.audioKbps))),
            ("audiosamplerate", .number(48_000)), ("audiosamplesize", .number(16)), ("stereo", .boolean(false)),
            ("audiocodecid", .number(10)), ("encoder", .string("anchor")),
        ])])
    }

    /// The AVC sequence header (decoder configuration record).
    public static func videoSequenceHeader(_ record: Data) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(UInt8(1 << 4) | avcCodec)
        b.writeInteger(UInt8(0))
        b.writeBytes([0, 0, 0])
        b.writeBytes(record)
        return b
    }

    /// One access unit (AVCC NAL units); `compositionTime` is pts − dts in milliseconds.
    public static func videoFrame(_ avcc: Data, keyframe: Bool, compositionTime: Int32 = 0) -> ByteBuffer {
        var b = ByteBuffer()
        b.reserveCapacity(avcc.count + 5)
        b.writeInteger(UInt8((keyframe ? 1 : 2) << 4) | avcCodec)
        b.writeInteger(UInt8(1))
        let ct = UInt32(bitPattern: compositionTime)
        b.writeBytes([UInt8((ct >> 16) & 0xFF), UInt8((ct >> 8) & 0xFF), UInt8(ct & 0xFF)])
        b.writeBytes(avcc)
        return b
    }

    /// The AAC sequence header (AudioSpecificConfig).
    public static func audioSequenceHeader(_ config: Data) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(aacHeader)
        b.writeInteger(UInt8(0))
        b.writeBytes(config)
        return b
    }

    public static func audioFrame(_ aac: Data) -> ByteBuffer {
        var b = ByteBuffer()
        b.reserveCapacity(aac.count + 2)
        b.writeInteger(aacHeader)
        b.writeInteger(UInt8(1))
        b.writeBytes(aac)
        return b
    }
}
