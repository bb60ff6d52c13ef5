import CAV
import Foundation

/// One libavformat context and everything its lifetime involves: a file opened for reading
/// (demuxing), or a container being written (muxing: the file opened, the header, the trailer).
/// The only place in anchor a format context is opened, closed or freed.
final class FormatContext {
    let path: String
    let pointer: UnsafeMutablePointer<AVFormatContext>
    private let isInput: Bool
    private enum Output { case allocated, writing, ended }
    private var output = Output.allocated

    /// A file opened for reading with its streams probed.
    init(reading path: String) throws(MediaError) {
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        let status = avformat_open_input(&ctx, path, nil, nil)
        guard status >= 0, let ctx else { throw MediaError.input(path: path, reason: MP4Writer.describe(status)) }
        guard avformat_find_stream_info(ctx, nil) >= 0 else {
            var c: UnsafeMutablePointer<AVFormatContext>? = ctx
            avformat_close_input(&c)
            throw MediaError.input(path: path, reason: "its streams cannot be read")
        }
        (self.path, pointer, isInput) = (path, ctx, true)
    }

    /// A container to write with `muxer` (mp4, mov, matroska); nil when libavformat has no such muxer.
    init?(writing path: String, muxer: String) {
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_alloc_output_context2(&ctx, nil, muxer, path) >= 0, let ctx else { return nil }
        (self.path, pointer, isInput) = (path, ctx, false)
    }

    deinit {
        if isInput {
            var c: UnsafeMutablePointer<AVFormatContext>? = pointer
            avformat_close_input(&c)
        } else {
            if output == .writing { _ = end() }
            avformat_free_context(pointer)
        }
    }

    /// The header is written and the trailer not yet.
    var isWriting: Bool { output == .writing }

    var streams: [UnsafeMutablePointer<AVStream>] { (0..<Int(pointer.pointee.nb_streams)).compactMap { pointer.pointee.streams[$0] } }

    /// The container's duration in seconds (0 when it does not say).
    var durationSeconds: Double { pointer.pointee.duration > 0 ? Double(pointer.pointee.duration) / Double(AV_TIME_BASE) : 0 }

    func newStream() throws(MediaError) -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(pointer, nil) else { throw MediaError.output(path: path, reason: "out of memory") }
        return stream
    }

    /// Opens the file and writes the header, with muxer options (`movflags`…).
    func begin(options given: [String: String] = [:]) throws(MediaError) {
        guard avio_open(&pointer.pointee.pb, path, AVIO_FLAG_WRITE) >= 0 else { throw MediaError.output(path: path, reason: MP4Writer.describe(errno: errno)) }
        var options: OpaquePointer?
        for (k, v) in given { av_dict_set(&options, k, v, 0) }
        let status = avformat_write_header(pointer, &options)
        av_dict_free(&options)
        guard status >= 0 else {
            avio_closep(&pointer.pointee.pb)
            throw MediaError.output(path: path, reason: MP4Writer.describe(status))
        }
        output = .writing
    }

    /// One packet, interleaved; libavformat's status.
    func write(_ packet: UnsafeMutablePointer<AVPacket>) -> Int32 { av_interleaved_write_frame(pointer, packet) }

    /// Writes the trailer (the index) and closes the file; libavformat's status (0 when the
    /// header was never written: nothing to end).
    func end() -> Int32 {
        guard output == .writing else { return 0 }
        output = .ended
        let status = av_write_trailer(pointer)
        avio_closep(&pointer.pointee.pb)
        return status
    }
}
