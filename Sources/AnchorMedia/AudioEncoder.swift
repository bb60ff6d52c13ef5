import CAV
import Foundation

/// Speech audio through libavcodec: AAC-LC (its native encoder, 1024-sample frames) for MP4
/// and RTMP, or Opus (libopus, 20 ms frames) for files and WebRTC. 48 kHz mono float in.
public final class AudioEncoder {
    public enum Codec: String, Sendable, CaseIterable {
        case aac, opus
    }

    public static let sampleRate = 48_000
    public let codec: Codec
    let context: UnsafeMutablePointer<AVCodecContext>
    private let frame: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>
    private var pending: [Float] = []
    private var samplesIn: Int64 = 0
    public let frameSize: Int

    public init(codec kind: Codec = .aac, bitrate: Int = 128_000) throws(MediaError) {
        av_log_set_level(min(av_log_get_level(), AV_LOG_ERROR))
        self.codec = kind
        let found = kind == .aac ? avcodec_find_encoder(AV_CODEC_ID_AAC) : avcodec_find_encoder_by_name("libopus")
        guard let codec = found, let ctx = avcodec_alloc_context3(codec) else {
            throw MediaError.encoder("libavcodec has no \(kind == .aac ? "AAC" : "libopus") encoder")
        }
        // Mono: planar and interleaved float are the same layout.
        let format = kind == .aac ? AV_SAMPLE_FMT_FLTP : AV_SAMPLE_FMT_FLT
        ctx.pointee.sample_fmt = format
        ctx.pointee.sample_rate = Int32(Self.sampleRate)
        av_channel_layout_default(&ctx.pointee.ch_layout, 1)
        ctx.pointee.bit_rate = Int64(bitrate)
        ctx.pointee.time_base = AVRational(num: 1, den: Int32(Self.sampleRate))
        ctx.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
        // The default "twoloop" search costs ~25x more CPU than "fast", for no audible gain on speech.
        var options: OpaquePointer?
        if kind == .aac { av_dict_set(&options, "aac_coder", "fast", 0) } else {
            av_dict_set(&options, "frame_duration", "20", 0)
            av_dict_set(&options, "application", "voip", 0)
        }
        defer { av_dict_free(&options) }
        guard avcodec_open2(ctx, codec, &options) >= 0, let f = av_frame_alloc(), let p = av_packet_alloc() else {
            var c: UnsafeMutablePointer<AVCodecContext>? = ctx
            avcodec_free_context(&c)
            throw MediaError.encoder("cannot open the \(kind.rawValue) encoder")
        }
        context = ctx
        frame = f
        packet = p
        frameSize = Int(ctx.pointee.frame_size)
        frame.pointee.nb_samples = Int32(frameSize)
        frame.pointee.format = format.rawValue
        frame.pointee.sample_rate = Int32(Self.sampleRate)
        av_channel_layout_copy(&frame.pointee.ch_layout, &ctx.pointee.ch_layout)
        av_frame_get_buffer(frame, 0)
    }

    deinit {
        var f: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&f)
        var p: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&p)
        var c: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&c)
    }

    /// The AudioSpecificConfig (AAC) or OpusHead (Opus) for the container.
    public var extradata: Data {
        guard let e = context.pointee.extradata else { return Data() }
        return Data(bytes: e, count: Int(context.pointee.extradata_size))
    }

    /// Samples the encoder adds before the first real one (the MP4 edit list hides them).
    public var primingSamples: Int { Int(context.pointee.initial_padding) }

    /// Feeds PCM; returns the packets that are ready (timestamps in samples).
    public func encode(_ samples: ArraySlice<Float>) -> [EncodedPacket] {
        pending.append(contentsOf: samples)
        var out: [EncodedPacket] = []
        var offset = 0
        while pending.count - offset >= frameSize {
            out += send(pending[offset..<(offset + frameSize)])
            offset += frameSize
        }
        pending.removeFirst(offset)
        return out
    }

    /// Silence, without building an array for it.
    public func encodeSilence(_ count: Int) -> [EncodedPacket] {
        var out: [EncodedPacket] = []
        var left = count
        while left > 0 {
            let n = min(left, frameSize * 64)
            out += encode(ArraySlice(repeatElement(Float(0), count: n)))
            left -= n
        }
        return out
    }

    /// Pads the last frame with silence and drains the encoder.
    public func flush() -> [EncodedPacket] {
        var out: [EncodedPacket] = []
        if !pending.isEmpty {
            // A short last frame: the encoder pads it, and the packet's duration stays exact,
            // so the container's audio ends on the last real sample.
            let small = context.pointee.codec.pointee.capabilities & Int32(AV_CODEC_CAP_SMALL_LAST_FRAME) != 0
            let tail = small ? pending : pending + [Float](repeating: 0, count: frameSize - pending.count)
            pending.removeAll()
            out += send(tail[...])
        }
        avcodec_send_frame(context, nil)
        out += receive()
        return out
    }

    /// Parameters for a muxer stream.
    func fill(_ parameters: UnsafeMutablePointer<AVCodecParameters>) {
        avcodec_parameters_from_context(parameters, context)
    }

    private func send(_ samples: ArraySlice<Float>) -> [EncodedPacket] {
        av_frame_make_writable(frame)
        frame.pointee.nb_samples = Int32(samples.count)
        samples.withUnsafeBufferPointer { src in
            frame.pointee.data.0?.withMemoryRebound(to: Float.self, capacity: frameSize) { dst in
                dst.update(from: src.baseAddress!, count: src.count)
            }
        }
        frame.pointee.pts = samplesIn
        samplesIn += Int64(samples.count)
        avcodec_send_frame(context, frame)
        return receive()
    }

    private func receive() -> [EncodedPacket] {
        var out: [EncodedPacket] = []
        while avcodec_receive_packet(context, packet) >= 0 {
            let p = packet.pointee
            out.append(EncodedPacket(kind: .audio, data: Data(bytes: p.data, count: Int(p.size)), pts: p.pts, dts: p.dts,
                                     duration: p.duration, isKeyframe: true))
            av_packet_unref(packet)
        }
        return out
    }
}
