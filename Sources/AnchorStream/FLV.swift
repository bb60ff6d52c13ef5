import AnchorMedia
import Foundation
import NIOCore

/// FLV tag bodies as RTMP audio/video/data messages carry them: H.264, and AAC or (Enhanced
/// RTMP, `ExAudioTagHeader` with the FourCC `Opus`) Opus.
public enum FLV {
    /// What a stream announces in `@setDataFrame onMetaData`.
    public struct Metadata: Sendable {
        public var width: Int
        public var height: Int
        public var fps: Int
        public var videoKbps: Int
        public var audioKbps: Int
        public var audioCodec: AudioEncoder.Codec
        public init(width: Int, height: Int, fps: Int, videoKbps: Int, audioKbps: Int, audioCodec: AudioEncoder.Codec = .aac) {
            self.width = width; self.height = height; self.fps = fps; self.videoKbps = videoKbps; self.audioKbps = audioKbps
            self.audioCodec = audioCodec
        }
    }

    /// Enhanced RTMP: `SoundFormat` 9 says an `ExAudioTagHeader` (packet type, FourCC) follows.
    static let exAudio: UInt8 = 9 << 4
    static let opusFourCC = Array("Opus".utf8)
    /// The FourCC as a number, as `onMetaData`'s `audiocodecid` carries it in Enhanced RTMP.
    static let opusCodecID = Double(UInt32(bigEndian: opusFourCC.withUnsafeBytes { $0.load(as: UInt32.self) }))

    static let avcCodec: UInt8 = 7
    /// AAC, "44 kHz", 16-bit, "stereo": the fixed first byte FLV uses for every AAC tag.
    static let aacHeader: UInt8 = 0xAF

    public static func metadata(_ m: Metadata) -> ByteBuffer {
        AMF0.encode([.string("@setDataFrame"), .string("onMetaData"), .ecmaArray([
            ("duration", .number(0)), ("width", .number(Double(m.width))), ("height", .number(Double(m.height))),
            ("videodatarate", .number(Double(m.videoKbps))), ("framerate", .number(Double(m.fps))),
            ("videocodecid", .number(Double(avcCodec))), ("audiodatarate", .number(Double(m.audioKbps))),
            ("audiosamplerate", .number(48_000)), ("audiosamplesize", .number(16)), ("stereo", .boolean(false)),
            ("audiocodecid", .number(m.audioCodec == .opus ? opusCodecID : 10)), ("encoder", .string("anchor")),
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

    /// The audio sequence header: AAC's AudioSpecificConfig, or Opus's identification header
    /// (`OpusHead`) in an Enhanced RTMP `SequenceStart`.
    public static func audioSequenceHeader(_ config: Data, codec: AudioEncoder.Codec = .aac) -> ByteBuffer {
        audioTag(config, codec: codec, sequenceStart: true)
    }

    /// One encoded audio frame (AAC raw, or an Opus packet in an Enhanced RTMP `CodedFrames`).
    public static func audioFrame(_ data: Data, codec: AudioEncoder.Codec = .aac) -> ByteBuffer {
        audioTag(data, codec: codec, sequenceStart: false)
    }

    private static func audioTag(_ body: Data, codec: AudioEncoder.Codec, sequenceStart: Bool) -> ByteBuffer {
        var b = ByteBuffer()
        b.reserveCapacity(body.count + 5)
        switch codec {
        case .aac:
            b.writeInteger(aacHeader)
            b.writeInteger(UInt8(sequenceStart ? 0 : 1))
        case .opus:
            b.writeInteger(exAudio | (sequenceStart ? 0 : 1))
            b.writeBytes(opusFourCC)
        }
        b.writeBytes(body)
        return b
    }
}
