import CAV
import Foundation

/// Writes H.264 + AAC into an MP4 (or MOV, MKV) file with libavformat: faststart, a title,
/// and a chapter per show segment.
public final class MP4Writer {
    public struct Chapter: Sendable {
        public var title: String
        /// Milliseconds.
        public var start: Int64
        public var end: Int64
        public init(title: String, start: Int64, end: Int64) { self.title = title; self.start = start; self.end = end }
    }

    public let path: String
    private let context: FormatContext
    private let videoStream: UnsafeMutablePointer<AVStream>
    private let audioStream: UnsafeMutablePointer<AVStream>
    private let fps: Int
    private let packet: UnsafeMutablePointer<AVPacket>

    /// `format`: mp4, mov or mkv.
    /// `fragmented`: MP4 fragments at each keyframe, playable up to the last fragment if the
    /// process dies (for recordings; chapters must then be added by `remux`).
    public init(path: String, format: String = "mp4", video: VideoEncoder, audio: AudioEncoder, title: String, chapters: [Chapter] = [],
                fragmented: Bool = false) throws(MediaError) {
        self.path = path
        fps = video.settings.fps
        let muxer = format == "mkv" ? "matroska" : format
        guard let context = FormatContext(writing: path, muxer: muxer) else {
            throw MediaError.output(path: path, reason: "unknown container '\(format)' (mp4, mov or mkv)")
        }
        self.context = context
        let ctx = context.pointer
        let (vs, ast) = (try context.newStream(), try context.newStream())
        guard let p = av_packet_alloc() else { throw MediaError.output(path: path, reason: "out of memory") }
        videoStream = vs
        audioStream = ast
        packet = p
        let vp = vs.pointee.codecpar!
        vp.pointee.codec_type = AVMEDIA_TYPE_VIDEO
        vp.pointee.codec_id = AV_CODEC_ID_H264
        vp.pointee.width = Int32(video.settings.width)
        vp.pointee.height = Int32(video.settings.height)
        vp.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        vp.pointee.color_primaries = AVCOL_PRI_BT709
        vp.pointee.color_trc = AVCOL_TRC_BT709
        vp.pointee.color_space = AVCOL_SPC_BT709
        vp.pointee.color_range = AVCOL_RANGE_MPEG
        Self.setExtradata(vp, video.decoderConfiguration)
        vs.pointee.time_base = AVRational(num: 1, den: Int32(fps))
        vs.pointee.avg_frame_rate = AVRational(num: Int32(fps), den: 1)
        audio.fill(ast.pointee.codecpar)
        ast.pointee.time_base = AVRational(num: 1, den: Int32(AudioEncoder.sampleRate))

        av_dict_set(&ctx.pointee.metadata, "title", title, 0)
        for (i, c) in chapters.enumerated() { Self.add(c, id: i, to: ctx) }

        // Each fragment reaches the disk when it is complete, not when a 32 KB buffer fills.
        if fragmented { ctx.pointee.flags |= AVFMT_FLAG_FLUSH_PACKETS }
        // A throw from here runs deinit, which frees the packet (the context frees itself).
        try context.begin(options: muxer == "mp4" || muxer == "mov" ? ["movflags": fragmented ? "+frag_keyframe+empty_moov+default_base_moof" : "+faststart"] : [:])
    }

    /// A file not finished is ended by its context (index written, file closed).
    deinit {
        var p: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&p)
    }

    /// Writes a packet (timestamps in frames for video, samples for audio).
    public func write(_ p: EncodedPacket) throws(MediaError) {
        let stream = p.kind == .video ? videoStream : audioStream
        let source = p.kind == .video ? AVRational(num: 1, den: Int32(fps)) : AVRational(num: 1, den: Int32(AudioEncoder.sampleRate))
        guard av_new_packet(packet, Int32(p.data.count)) >= 0 else { throw MediaError.output(path: path, reason: "out of memory") }
        p.data.withUnsafeBytes { packet.pointee.data.update(from: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: p.data.count) }
        packet.pointee.pts = av_rescale_q(p.pts, source, stream.pointee.time_base)
        packet.pointee.dts = av_rescale_q(p.dts, source, stream.pointee.time_base)
        packet.pointee.duration = av_rescale_q(p.duration, source, stream.pointee.time_base)
        packet.pointee.stream_index = stream.pointee.index
        packet.pointee.flags = p.isKeyframe ? AV_PKT_FLAG_KEY : 0
        let status = context.write(packet)
        av_packet_unref(packet)
        if status < 0 { throw MediaError.output(path: path, reason: Self.describe(status)) }
    }

    /// Writes the index (moving it to the front) and closes the file; chapters are clipped to
    /// `endMilliseconds` when the render stopped early. `chapters` are added now, for a file
    /// begun without any (the chapters of a show directed live are known only at its end):
    /// libavformat's mov and matroska muxers write chapters with the index when the header had none.
    public func finish(chapters: [Chapter] = [], endMilliseconds: Int64?) throws(MediaError) {
        guard context.isWriting else { return }
        let ctx = context.pointer
        if ctx.pointee.nb_chapters == 0 {
            for (i, c) in chapters.enumerated() { Self.add(c, id: i, to: ctx) }
        }
        if let end = endMilliseconds {
            var kept: Int32 = 0
            for i in 0..<Int(ctx.pointee.nb_chapters) {
                guard let c = ctx.pointee.chapters[i] else { continue }
                if c.pointee.start < end { c.pointee.end = min(c.pointee.end, end); kept = Int32(i + 1) }
            }
            ctx.pointee.nb_chapters = UInt32(kept)
        }
        let status = context.end()
        if status < 0 { throw MediaError.output(path: path, reason: Self.describe(status)) }
    }

    static func add(_ c: Chapter, id: Int, to ctx: UnsafeMutablePointer<AVFormatContext>) {
        let chapter = av_mallocz(MemoryLayout<AVChapter>.size).assumingMemoryBound(to: AVChapter.self)
        chapter.pointee.id = Int64(id)
        chapter.pointee.time_base = AVRational(num: 1, den: 1000)
        chapter.pointee.start = c.start
        chapter.pointee.end = c.end
        av_dict_set(&chapter.pointee.metadata, "title", c.title, 0)
        var list = ctx.pointee.chapters
        var count = ctx.pointee.nb_chapters
        av_dynarray_add(&list, &count, chapter)
        ctx.pointee.chapters = list
        ctx.pointee.nb_chapters = count
    }

    private static func setExtradata(_ par: UnsafeMutablePointer<AVCodecParameters>, _ data: Data) {
        let padding = Int(AV_INPUT_BUFFER_PADDING_SIZE)
        let buffer = av_mallocz(data.count + padding).assumingMemoryBound(to: UInt8.self)
        data.withUnsafeBytes { buffer.update(from: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: data.count) }
        par.pointee.extradata = buffer
        par.pointee.extradata_size = Int32(data.count)
    }

    static func describe(_ status: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        av_strerror(status, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func describe(errno e: Int32) -> String { String(cString: strerror(e)) }
}
