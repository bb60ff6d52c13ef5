import CAV
import Foundation

extension MP4Writer {
    /// Copies a file's streams into a regular (faststart) MP4 with chapters and a title, without
    /// re-encoding: how a fragmented recording gets its chapters once it is complete.
    public static func remux(from input: String, to output: String, title: String, chapters: [Chapter]) throws(MediaError) {
        let source: FormatContext
        do { source = try FormatContext(reading: input) } catch { throw MediaError.output(path: input, reason: "cannot open for remuxing") }
        guard let target = FormatContext(writing: output, muxer: "mp4") else { throw MediaError.output(path: output, reason: "cannot create") }
        for from in source.streams {
            let stream = try target.newStream()
            avcodec_parameters_copy(stream.pointee.codecpar, from.pointee.codecpar)
            stream.pointee.codecpar.pointee.codec_tag = 0
            stream.pointee.time_base = from.pointee.time_base
        }
        av_dict_set(&target.pointer.pointee.metadata, "title", title, 0)
        for (i, c) in chapters.enumerated() { add(c, id: i, to: target.pointer) }
        try target.begin(options: ["movflags": "+faststart"])
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        let (inStreams, outStreams) = (source.streams, target.streams)
        var status: Int32 = 0
        while av_read_frame(source.pointer, packet) >= 0 {
            let index = Int(packet!.pointee.stream_index)
            av_packet_rescale_ts(packet, inStreams[index].pointee.time_base, outStreams[index].pointee.time_base)
            packet!.pointee.pos = -1
            status = target.write(packet!)
            av_packet_unref(packet)
            if status < 0 { break }
        }
        let trailer = target.end()
        if status < 0 { throw MediaError.output(path: output, reason: describe(status)) }
        if trailer < 0 { throw MediaError.output(path: output, reason: describe(trailer)) }
    }
}

/// Reads a media file's facts with libavformat.
public enum MediaProbe {
    /// The container's duration in seconds.
    public static func duration(_ path: String) throws(MediaError) -> Double {
        try FormatContext(reading: path).durationSeconds
    }
}
