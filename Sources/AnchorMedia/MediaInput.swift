import CAV

/// One stream of a media file, demuxed with libavformat and decoded with libavcodec: the
/// single owner of the format and codec contexts it opens.
final class MediaInput {
    let path: String
    let stream: Int32
    /// The stream's time base, for frame timestamps.
    let timeBase: AVRational
    /// The decoded frame `next()` produced (owned here, valid until the next call).
    let frame: UnsafeMutablePointer<AVFrame>
    /// A read or decode error ended the stream before its end (a truncated or damaged file).
    private(set) var damaged = false

    private let format: FormatContext
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var draining = false
    private var finished = false

    /// Opens the best stream of `type`; nil when the file has none.
    init?(path: String, type: AVMediaType) throws(MediaError) {
        self.path = path
        // What goes wrong reading a clip is reported by us, once, not logged by FFmpeg per packet.
        av_log_set_level(min(av_log_get_level(), AV_LOG_FATAL))
        let opened = try FormatContext(reading: path)
        let format = opened.pointer
        var decoder: UnsafePointer<AVCodec>?
        let index = av_find_best_stream(format, type, -1, -1, &decoder, 0)
        guard index >= 0 else {
            if index == AVERROR_DECODER_NOT_FOUND_VALUE {
                throw MediaError.input(path: path, reason: "no decoder for its \(type == AVMEDIA_TYPE_VIDEO ? "video" : "audio") stream (\(Self.codecName(format, type)))")
            }
            return nil
        }
        let st = format.pointee.streams[Int(index)]!
        guard let decoder, let ctx = avcodec_alloc_context3(decoder) else {
            throw MediaError.input(path: path, reason: "no decoder for \(Self.codecName(format, type))")
        }
        var c: UnsafeMutablePointer<AVCodecContext>? = ctx
        if avcodec_parameters_to_context(ctx, st.pointee.codecpar) < 0 || avcodec_open2(ctx, decoder, nil) < 0 {
            avcodec_free_context(&c)
            throw MediaError.input(path: path, reason: "cannot open the \(String(cString: decoder.pointee.name)) decoder")
        }
        // Only the chosen stream is demuxed.
        for i in 0..<Int(format.pointee.nb_streams) where i != Int(index) { format.pointee.streams[i]!.pointee.discard = AVDISCARD_ALL }
        self.format = opened
        self.codec = ctx
        stream = index
        timeBase = st.pointee.time_base
        packet = av_packet_alloc()
        frame = av_frame_alloc()
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codec)
    }

    private static func codecName(_ format: UnsafeMutablePointer<AVFormatContext>, _ type: AVMediaType) -> String {
        for i in 0..<Int(format.pointee.nb_streams) {
            let par = format.pointee.streams[i]!.pointee.codecpar!
            if par.pointee.codec_type == type { return String(cString: avcodec_get_name(par.pointee.codec_id)) }
        }
        return "unknown codec"
    }

    var codecContext: UnsafeMutablePointer<AVCodecContext> { codec! }
    var formatContext: UnsafeMutablePointer<AVFormatContext> { format.pointer }

    /// The stream's length in milliseconds, else the container's (0 when unknown: a still image).
    var durationMilliseconds: Int {
        let st = format.pointer.pointee.streams[Int(stream)]!.pointee
        if st.duration > 0, st.duration != Int64.min { return milliseconds(st.duration) }
        let d = format.pointer.pointee.duration
        return d > 0 ? Int(d / 1000) : 0
    }

    /// A timestamp of this stream in milliseconds from the start of the file.
    func milliseconds(_ ts: Int64) -> Int {
        Int(av_rescale_q(ts, timeBase, AVRational(num: 1, den: 1000)))
    }

    /// The best timestamp of the current frame, in milliseconds (0 when it has none).
    var frameMilliseconds: Int {
        let ts = frame.pointee.best_effort_timestamp
        let start = format.pointer.pointee.streams[Int(stream)]!.pointee.start_time
        return ts == Int64.min ? 0 : milliseconds(ts - (start == Int64.min ? 0 : start))
    }

    /// Decodes the next frame into `frame`; false at the end of the stream (or where it breaks off).
    func next() -> Bool {
        guard let codec, let packet, !finished else { return false }
        let format = self.format.pointer
        while true {
            let got = avcodec_receive_frame(codec, frame)
            if got >= 0 { return true }
            if got == anchor_averror_eof() { finished = true; return false }
            guard got == anchor_averror_eagain() else { damaged = true; finished = true; return false }
            if draining { finished = true; return false }
            let read = av_read_frame(format, packet)
            if read < 0 {
                if read != anchor_averror_eof() { damaged = true }
                draining = true
                _ = avcodec_send_packet(codec, nil)
                continue
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == stream else { continue }
            // A damaged packet is skipped (the decoder conceals it); a broken stream ends here.
            if avcodec_send_packet(codec, packet) < 0 { damaged = true }
        }
    }

    /// Seeks to the keyframe at or before `ms` (from the start of the file); decoding goes on from there.
    func seek(toMilliseconds ms: Int) {
        guard let codec else { return }
        let format = self.format.pointer
        let st = format.pointee.streams[Int(stream)]!.pointee
        let start = st.start_time == Int64.min ? 0 : st.start_time
        let ts = av_rescale_q(Int64(ms), AVRational(num: 1, den: 1000), timeBase) + start
        if av_seek_frame(format, stream, ts, AVSEEK_FLAG_BACKWARD) < 0 { _ = av_seek_frame(format, stream, start, AVSEEK_FLAG_BACKWARD) }
        avcodec_flush_buffers(codec)
        draining = false
        finished = false
    }
}

let AVERROR_DECODER_NOT_FOUND_VALUE: Int32 = anchor_averror_decoder_not_found()
