import AnchorCore
import CAV
import CX264
import Foundation

/// libx264 behind one owner: BGRA frames in (converted to I420, BT.709, limited
/// range), AVCC packets out, with the decoder configuration record for MP4 and RTMP.
public final class VideoEncoder {
    public let settings: VideoSettings
    public let decoderConfiguration: Data
    /// SPS and PPS, as RTP sends them before each keyframe.
    public let parameterSets: [Data]
    private let encoder: OpaquePointer
    private var picture = x264_picture_t()
    private let converter: ColorConverter
    private let scratch: I420Frame
    private var forceNextKeyframe = false

    public init(_ s: VideoSettings) throws(MediaError) {
        guard s.width % 2 == 0, s.height % 2 == 0, s.width >= 16, s.height >= 16 else {
            throw MediaError.encoder("frame size \(s.width)x\(s.height) must have even sides of at least 16")
        }
        guard (1...120).contains(s.fps) else { throw MediaError.encoder("fps \(s.fps) is out of range (1–120)") }
        settings = s
        converter = ColorConverter(width: s.width, height: s.height)
        scratch = I420Frame(width: s.width, height: s.height)
        var p = x264_param_t()
        guard x264_param_default_preset(&p, s.preset, s.tune) == 0 else {
            throw MediaError.encoder("unknown x264 preset '\(s.preset)' or tune '\(s.tune ?? "")'")
        }
        p.i_csp = X264_CSP_I420
        p.i_width = Int32(s.width)
        p.i_height = Int32(s.height)
        p.i_fps_num = UInt32(s.fps)
        p.i_fps_den = 1
        p.i_timebase_num = 1
        p.i_timebase_den = UInt32(s.fps)
        p.b_vfr_input = 0
        p.i_keyint_max = Int32(s.fps * s.keyframeSeconds)
        p.i_keyint_min = Int32(s.fps * s.keyframeSeconds)
        // A fixed GOP: live ingests expect a keyframe exactly every N seconds, not on scene cuts.
        p.i_scenecut_threshold = 0
        p.b_repeat_headers = 0
        // Each NAL unit prefixed with its 4-byte length, as MP4 and FLV carry it: packets are
        // the slices laid end to end, with no start codes to scan for.
        p.b_annexb = 0
        p.i_threads = Int32(s.threads)
        p.i_bframe = Int32(s.bframes)
        // Lets `encode(_:index:changed:)` tell x264 which macroblocks did not change (not for a
        // lossless master: it must be the frames exactly, whatever the change tracking says).
        p.analyse.b_mb_info = s.lossless ? 0 : 1
        if s.lossless {
            p.rc.i_rc_method = X264_RC_CQP
            p.rc.i_qp_constant = 0
        } else if let crf = s.crf {
            guard (0...51).contains(crf) else { throw MediaError.encoder("crf \(crf) is out of range (0–51)") }
            p.rc.i_rc_method = X264_RC_CRF
            p.rc.f_rf_constant = Float(crf)
            p.rc.i_vbv_max_bitrate = Int32(s.maxrateKbps ?? s.bitrateKbps)
            p.rc.i_vbv_buffer_size = Int32(s.bufferKbps ?? s.maxrateKbps ?? s.bitrateKbps)
        } else {
            p.rc.i_rc_method = X264_RC_ABR
            p.rc.i_bitrate = Int32(s.bitrateKbps)
            p.rc.i_vbv_max_bitrate = Int32(s.maxrateKbps ?? s.bitrateKbps)
            p.rc.i_vbv_buffer_size = Int32(s.bufferKbps ?? s.bitrateKbps)
        }
        p.vui.i_colorprim = 1 // BT.709
        p.vui.i_transfer = 1
        p.vui.i_colmatrix = 1
        p.vui.b_fullrange = 0
        p.i_log_level = X264_LOG_ERROR
        for option in s.x264Params.split(separator: ":") where !option.isEmpty {
            let kv = option.split(separator: "=", maxSplits: 1).map(String.init)
            let status = x264_param_parse(&p, kv[0], kv.count > 1 ? kv[1] : nil)
            guard status == 0 else {
                throw MediaError.encoder(status == X264_PARAM_BAD_NAME ? "unknown x264 option '\(kv[0])'" : "bad value for x264 option '\(option)'")
            }
        }
        guard x264_param_apply_profile(&p, s.lossless ? "high444" : s.profile) == 0, let enc = x264_encoder_open_164(&p) else {
            throw MediaError.encoder("x264 refused the settings")
        }
        encoder = enc

        var nals: UnsafeMutablePointer<x264_nal_t>?
        var count: Int32 = 0
        x264_encoder_headers(enc, &nals, &count)
        var sps = Data(), pps = Data()
        for nal in UnsafeBufferPointer(start: nals, count: Int(count)) {
            let unit = Data(bytes: nal.p_payload + 4, count: Int(nal.i_payload) - 4)
            switch UInt8(nal.i_type) {
            case AVCFormat.NALType.sps.rawValue: sps = unit
            case AVCFormat.NALType.pps.rawValue: pps = unit
            default: break
            }
        }
        decoderConfiguration = AVCFormat.decoderConfigurationRecord(sps: sps, pps: pps)
        parameterSets = [sps, pps]

        x264_picture_init(&picture)
        picture.img.i_csp = X264_CSP_I420
        picture.img.i_plane = 3
    }

    deinit { x264_encoder_close(encoder) }

    /// The next frame is an IDR keyframe (a new viewer, a reconnect).
    public func forceKeyframe() { forceNextKeyframe = true }

    /// Encodes frame number `index` from BGRA pixels; returns the packets x264 has ready.
    public func encode(bgra: UnsafeRawPointer, stride: Int, index: Int64) -> [EncodedPacket] {
        converter.convert(bgra: bgra, stride: stride, into: scratch)
        return encode(scratch, index: index)
    }

    /// Encodes frame number `index`. x264 copies the picture, so `frame` is free to reuse on return.
    /// `changed`, when known, covers every pixel that differs from the previous frame passed in:
    /// x264 then skips the macroblocks outside it without analysing them.
    public func encode(_ frame: I420Frame, index: Int64, changed: Damage? = nil) -> [EncodedPacket] {
        precondition(frame.width == settings.width && frame.height == settings.height, "frame size differs from the encoder's")
        picture.img.plane = (frame.planes.0, frame.planes.1, frame.planes.2, nil)
        picture.img.i_stride = (Int32(frame.strides.0), Int32(frame.strides.1), Int32(frame.strides.2), 0)
        picture.prop.mb_info = settings.lossless ? nil : changed.flatMap { UnchangedMacroblocks.flags(for: $0, width: frame.width, height: frame.height) }
        picture.prop.mb_info_free = picture.prop.mb_info == nil ? nil : free
        picture.i_pts = index
        picture.i_type = forceNextKeyframe ? X264_TYPE_IDR : X264_TYPE_AUTO
        forceNextKeyframe = false
        return encodeStep(&picture)
    }

    /// Drains the frames x264 still holds.
    public func flush() -> [EncodedPacket] {
        var out: [EncodedPacket] = []
        while x264_encoder_delayed_frames(encoder) > 0 {
            let packets = encodeStep(nil)
            if packets.isEmpty { break }
            out += packets
        }
        return out
    }

    private func encodeStep(_ input: UnsafeMutablePointer<x264_picture_t>?) -> [EncodedPacket] {
        var nals: UnsafeMutablePointer<x264_nal_t>?
        var count: Int32 = 0
        var output = x264_picture_t()
        let size = x264_encoder_encode(encoder, &nals, &count, input, &output)
        guard size > 0 else { return [] }
        // The picture's NAL units, already length-prefixed; parameter sets travel out of band.
        let slices = UnsafeBufferPointer(start: nals, count: Int(count)).filter {
            let t = UInt8($0.i_type)
            return t != AVCFormat.NALType.sps.rawValue && t != AVCFormat.NALType.pps.rawValue && t != AVCFormat.NALType.accessUnitDelimiter.rawValue
        }
        var data = Data(capacity: slices.reduce(0) { $0 + Int($1.i_payload) })
        for nal in slices { data.append(nal.p_payload, count: Int(nal.i_payload)) }
        return [EncodedPacket(kind: .video, data: data, pts: output.i_pts, dts: output.i_dts, duration: 1, isKeyframe: output.b_keyframe != 0)]
    }
}
