import CAV
import Foundation

extension MP4Writer {
    /// Copies a file's streams into a regular (faststart) MP4 with chapters and a title, without
    /// re-encoding: how a fragmented recording gets its chapters once it is complete.
    public static func remux(from input: String, to output: String, title: String, chapters: [Chapter]) throws(MediaError) {
        var inCtx: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_open_input(&inCtx, input, nil, nil) >= 0, let inCtx else {
            throw MediaError.output(path: input, reason: "cannot open for remuxing")
        }
        defer { var c: UnsafeMutablePointer<AVFormatContext>? = inCtx; avformat_close_input(&c) }
        guard avformat_find_stream_info(inCtx, nil) >= 0 else { throw MediaError.output(path: input, reason: "unreadable streams") }
        var outCtx: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_alloc_output_context2(&outCtx, nil, "mp4", output) >= 0, let outCtx else {
            throw MediaError.output(path: output, reason: "cannot create")
        }
        defer { avformat_free_context(outCtx) }
        for i in 0..<Int(inCtx.pointee.nb_streams) {
            guard let source = inCtx.pointee.streams[i], let stream = avformat_new_stream(outCtx, nil) else {
                throw MediaError.output(path: output, reason: "out of memory")
            }
            avcodec_parameters_copy(stream.pointee.codecpar, source.pointee.codecpar)
            stream.pointee.codecpar.pointee.codec_tag = 0
            stream.pointee.time_base = source.pointee.time_base
        }
        av_dict_set(&outCtx.pointee.metadata, "title", title, 0)
        for (i, c) in chapters.enumerated() { add(c, id: i, to: outCtx) }
        guard avio_open(&outCtx.pointee.pb, output, AVIO_FLAG_WRITE) >= 0 else {
            throw MediaError.output(path: output, reason: describe(errno: errno))
        }
        var options: OpaquePointer?
        av_dict_set(&options, "movflags", "+faststart", 0)
        var status = avformat_write_header(outCtx, &options)
        av_dict_free(&options)
        guard status >= 0 else {
            avio_closep(&outCtx.pointee.pb)
            throw MediaError.output(path: output, reason: describe(status))
        }
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        while av_read_frame(inCtx, packet) >= 0 {
            let index = Int(packet!.pointee.stream_index)
            av_packet_rescale_ts(packet, inCtx.pointee.streams[index]!.pointee.time_base, outCtx.pointee.streams[index]!.pointee.time_base)
            packet!.pointee.pos = -1
            status = av_interleaved_write_frame(outCtx, packet)
            av_packet_unref(packet)
            if status < 0 { break }
        }
        let trailer = av_write_trailer(outCtx)
        avio_closep(&outCtx.pointee.pb)
        if status < 0 { throw MediaError.output(path: output, reason: describe(status)) }
        if trailer < 0 { throw MediaError.output(path: output, reason: describe(trailer)) }
    }
}

/// Reads a media file's facts with libavformat.
public enum MediaProbe {
    /// The container's duration in seconds.
    public static func duration(_ path: String) throws(MediaError) -> Double {
        let ctx = try MediaInput.openFormat(path)
        defer { var c: UnsafeMutablePointer<AVFormatContext>? = ctx; avformat_close_input(&c) }
        return ctx.pointee.duration > 0 ? Double(ctx.pointee.duration) / Double(AV_TIME_BASE) : 0
    }
}
