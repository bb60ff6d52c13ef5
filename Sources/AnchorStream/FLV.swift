import AnchorMedia
import Foundation
import NIOCore

/// FLV tag bodies as RTMP audio/video/data messages carry them: H.264, and AAC; or, as
/// Enhanced RTMP, H.265 (`ExVideoTagHeader` with the FourCC `hvc1`) and Opus (`ExAudioTagHeader`
/// with `Opus`).
public enum FLV {
    /// What a stream announces in `@setDataFrame onMetaData`.
    public struct Metadata: Sendable {
        public var width: Int
        public var height: Int
        public var fps: Int
        public var videoKbps: Int
        public var audioKbps: Int
        public var audioCodec: AudioEncoder.Codec
        public var videoCodec: VideoCodec
        public init(width: Int, height: Int, fps: Int, videoKbps: Int, audioKbps: Int, audioCodec: AudioEncoder.Codec = .aac,
                    videoCodec: VideoCodec = .h264) {
            self.width = width; self.height = height; self.fps = fps; self.videoKbps = videoKbps; self.audioKbps = audioKbps
            self.audioCodec = audioCodec
            self.videoCodec = videoCodec
        }

        /// The FourCCs `connect` announces in `fourCcList` (empty: classic RTMP).
        public var fourCCs: [String] { (videoCodec == .hevc ? ["hvc1"] : []) + (audioCodec == .opus ? ["Opus"] : []) }
    }

    /// Enhanced RTMP: `SoundFormat` 9 says an `ExAudioTagHeader` (packet type, FourCC) follows.
    static let exAudio: UInt8 = 9 << 4
    static let opusFourCC = Array("Opus".utf8)
    /// The FourCC as a number, as `onMetaData`'s `audiocodecid` carries it in Enhanced RTMP.
    static let opusCodecID = codecID(opusFourCC)
    /// Enhanced RTMP: the `IsExHeader` bit of a video tag's first byte.
    static let exVideo: UInt8 = 0x80
    static let hevcFourCC = Array("hvc1".utf8)
    static let hevcCodecID = codecID(hevcFourCC)

    static func codecID(_ fourCC: [UInt8]) -> Double { Double(UInt32(fourCC[0]) << 24 | UInt32(fourCC[1]) << 16 | UInt32(fourCC[2]) << 8 | UInt32(fourCC[3])) }

    static let avcCodec: UInt8 = 7
    /// AAC, "44 kHz", 16-bit, "stereo": the fixed first byte FLV uses for every AAC tag.
    static let aacHeader: UInt8 = 0xAF

    public static func metadata(_ m: Metadata) -> ByteBuffer {
        AMF0.encode([.string("@setDataFrame"), .string("onMetaData"), .ecmaArray([
            ("duration", .number(0)), ("width", .number(Double(m.width))), ("height", .number(Double(m.height))),
            ("videodatarate", .number(Double(m.videoKbps))), ("framerate", .number(Double(m.fps))),
            ("videocodecid", .number(m.videoCodec == .hevc ? hevcCodecID : Double(avcCodec))), ("audiodatarate", .number(Double(m.audioKbps))),
            ("audiosamplerate", .number(48_000)), ("audiosamplesize", .number(16)), ("stereo", .boolean(false)),
            ("audiocodecid", .number(m.audioCodec == .opus ? opusCodecID : 10)), ("encoder", .string("anchor")),
        ])])
    }

    /// The video sequence header: the AVC decoder configuration record, or (Enhanced RTMP
    /// `SequenceStart`) the HEVC one.
    public static func videoSequenceHeader(_ record: Data, codec: VideoCodec = .h264) -> ByteBuffer {
        var b = ByteBuffer()
        if codec == .hevc {
            b.writeInteger(exVideo | 1 << 4 | 0) // keyframe, SequenceStart
            b.writeBytes(hevcFourCC)
            b.writeBytes(record)
            return b
        }
        b.writeInteger(UInt8(1 << 4) | avcCodec)
        b.writeInteger(UInt8(0))
        b.writeBytes([0, 0, 0])
        b.writeBytes(record)
        return b
    }

    /// One access unit (4-byte length-prefixed NAL units); `compositionTime` is pts − dts in
    /// milliseconds. H.265 goes as Enhanced RTMP `CodedFramesX` (no composition time: no B-frames live).
    public static func videoFrame(_ avcc: Data, keyframe: Bool, compositionTime: Int32 = 0, codec: VideoCodec = .h264) -> ByteBuffer {
        var b = ByteBuffer()
        b.reserveCapacity(avcc.count + 5)
        if codec == .hevc {
            b.writeInteger(exVideo | UInt8(keyframe ? 1 : 2) << 4 | 3) // CodedFramesX
            b.writeBytes(hevcFourCC)
            b.writeBytes(avcc)
            return b
        }
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
