import AnchorCore
import CX265
import Foundation

/// libx265 behind one owner, set like `VideoEncoder` (preset, zerolatency, a fixed GOP, CRF
/// under a VBV ceiling or a constant rate, one thread): I420 in, length-prefixed access units
/// out, with the `hvcC` record for Enhanced RTMP.
public final class HEVCEncoder: PictureEncoder {
    public let settings: VideoSettings
    public let decoderConfiguration: Data
    public let parameterSets: [Data]
    public var codec: VideoCodec { .hevc }
    private let encoder: OpaquePointer
    private let param: UnsafeMutablePointer<x265_param>
    private let picture: UnsafeMutablePointer<x265_picture>
    private var forceNextKeyframe = false

    public init(_ s: VideoSettings) throws(MediaError) {
        guard s.width % 2 == 0, s.height % 2 == 0, s.width >= 16, s.height >= 16 else {
            throw MediaError.encoder("frame size \(s.width)x\(s.height) must have even sides of at least 16")
        }
        settings = s
        guard let p = x265_param_alloc() else { throw MediaError.encoder("x265 could not allocate its parameters") }
        param = p
        guard x265_param_default_preset(p, s.preset, s.tune) == 0 else {
            x265_param_free(p)
            throw MediaError.encoder("unknown x265 preset '\(s.preset)' or tune '\(s.tune ?? "")'")
        }
        var options: [(String, String)] = [
            ("input-res", "\(s.width)x\(s.height)"), ("fps", "\(s.fps)"), ("input-csp", "i420"),
            ("keyint", "\(s.fps * s.keyframeSeconds)"), ("min-keyint", "\(s.fps * s.keyframeSeconds)"), ("scenecut", "0"), ("open-gop", "0"),
            ("repeat-headers", "0"), ("annexb", "0"), ("bframes", "\(s.bframes)"), ("info", "0"), ("hash", "0"),
            ("frame-threads", "\(max(1, s.threads))"), ("pools", s.threads <= 1 ? "none" : "\(s.threads)"), ("log-level", "error"),
            ("range", "limited"), ("colorprim", "bt709"), ("transfer", "bt709"), ("colormatrix", "bt709"),
        ]
        if let crf = s.crf {
            options += [("crf", "\(crf)"), ("vbv-maxrate", "\(s.maxrateKbps ?? s.bitrateKbps)"), ("vbv-bufsize", "\(s.bufferKbps ?? s.maxrateKbps ?? s.bitrateKbps)")]
        } else {
            options += [("bitrate", "\(s.bitrateKbps)"), ("vbv-maxrate", "\(s.maxrateKbps ?? s.bitrateKbps)"), ("vbv-bufsize", "\(s.bufferKbps ?? s.bitrateKbps)")]
        }
        for (name, value) in options where x265_param_parse(p, name, value) != 0 {
            x265_param_free(p)
            throw MediaError.encoder("x265 refused \(name)=\(value)")
        }
        guard x265_param_apply_profile(p, "main") == 0, let enc = anchor_x265_encoder_open(p) else {
            x265_param_free(p)
            throw MediaError.encoder("x265 refused the settings")
        }
        encoder = enc
        var nals: UnsafeMutablePointer<x265_nal>?
        var count: UInt32 = 0
        x265_encoder_headers(enc, &nals, &count)
        var vps = Data(), sps = Data(), pps = Data()
        for nal in UnsafeBufferPointer(start: nals, count: Int(count)) {
            let unit = Data(bytes: nal.payload + 4, count: Int(nal.sizeBytes) - 4)
            switch UInt8(nal.type) {
            case HEVCFormat.NALType.vps.rawValue: vps = unit
            case HEVCFormat.NALType.sps.rawValue: sps = unit
            case HEVCFormat.NALType.pps.rawValue: pps = unit
            default: break
            }
        }
        parameterSets = [vps, sps, pps]
        decoderConfiguration = HEVCFormat.decoderConfigurationRecord(vps: vps, sps: sps, pps: pps)
        picture = x265_picture_alloc()
        x265_picture_init(p, picture)
    }

    deinit {
        x265_encoder_close(encoder)
        x265_picture_free(picture)
        x265_param_free(param)
    }

    public func forceKeyframe() { forceNextKeyframe = true }

    /// Encodes frame number `index` (x265 copies the picture). `changed` is not used: x265 has
    /// no equivalent of x264's per-macroblock hint.
    public func encode(_ frame: I420Frame, index: Int64, changed: Damage? = nil) -> [EncodedPacket] {
        precondition(frame.width == settings.width && frame.height == settings.height, "frame size differs from the encoder's")
        picture.pointee.planes = (UnsafeMutableRawPointer(frame.planes.0), UnsafeMutableRawPointer(frame.planes.1), UnsafeMutableRawPointer(frame.planes.2))
        picture.pointee.stride = (Int32(frame.strides.0), Int32(frame.strides.1), Int32(frame.strides.2))
        picture.pointee.pts = index
        picture.pointee.sliceType = forceNextKeyframe ? X265_TYPE_IDR : X265_TYPE_AUTO
        forceNextKeyframe = false
        return step(picture)
    }

    public func flush() -> [EncodedPacket] {
        var out: [EncodedPacket] = []
        while true {
            let packets = step(nil)
            if packets.isEmpty { return out }
            out += packets
        }
    }

    private func step(_ input: UnsafeMutablePointer<x265_picture>?) -> [EncodedPacket] {
        var nals: UnsafeMutablePointer<x265_nal>?
        var count: UInt32 = 0
        var output = x265_picture()
        guard x265_encoder_encode(encoder, &nals, &count, input, &output) > 0 else { return [] }
        // The picture's NAL units, already length-prefixed (annexb=0); parameter sets travel out of band.
        let slices = UnsafeBufferPointer(start: nals, count: Int(count)).filter {
            let t = UInt8($0.type)
            return t != HEVCFormat.NALType.vps.rawValue && t != HEVCFormat.NALType.sps.rawValue
                && t != HEVCFormat.NALType.pps.rawValue && t != HEVCFormat.NALType.accessUnitDelimiter.rawValue
        }
        var data = Data(capacity: slices.reduce(0) { $0 + Int($1.sizeBytes) })
        for nal in slices { data.append(nal.payload, count: Int(nal.sizeBytes)) }
        let keyframe = output.sliceType == X265_TYPE_IDR || output.sliceType == X265_TYPE_I
        return [EncodedPacket(kind: .video, data: data, pts: output.pts, dts: output.dts, duration: 1, isKeyframe: keyframe)]
    }
}
