import CAV

/// The sound of a clip or music file as 48 kHz mono float, decoded with libavcodec and
/// converted with libswresample (any rate, layout and sample format in).
public enum ClipSound {
    /// The longest sound decoded at once (a music bed loops; a longer ad is cut with `from`/`for`).
    public static let maxMilliseconds = 10 * 60_000

    /// The sound from `from` for `length` milliseconds (to the end when nil); nil when the file
    /// has no sound.
    public static func decode(_ path: String, from: Int = 0, length: Int? = nil, sampleRate: Int = 48_000) throws(MediaError) -> [Float]? {
        guard let input = try MediaInput(path: path, type: AVMEDIA_TYPE_AUDIO) else { return nil }
        let total = input.durationMilliseconds
        let span = length ?? max(0, total - from)
        guard span <= maxMilliseconds else {
            throw MediaError.input(path: path, reason: "its sound is \(total / 1000) s long; at most \(maxMilliseconds / 60_000) minutes are played at once (cut it with 'from' and 'for')")
        }
        let c = input.codecContext
        var outLayout = AVChannelLayout()
        av_channel_layout_default(&outLayout, 1)
        var swr: OpaquePointer?
        guard swr_alloc_set_opts2(&swr, &outLayout, AV_SAMPLE_FMT_FLT, Int32(sampleRate), &c.pointee.ch_layout, c.pointee.sample_fmt,
                                  c.pointee.sample_rate, 0, nil) >= 0, let context = swr, swr_init(context) >= 0 else {
            swr_free(&swr)
            throw MediaError.input(path: path, reason: "its sound (\(c.pointee.sample_rate) Hz) cannot be converted to \(sampleRate) Hz")
        }
        defer { swr_free(&swr) }
        // A little before: a decoder's first frame after a seek can be off (no overlap to add).
        if from > 0 { input.seek(toMilliseconds: max(0, from - 200)) }
        let first = from * sampleRate / 1000
        let end = first + span * sampleRate / 1000
        var out: [Float] = []
        out.reserveCapacity(end - first)
        /// Where the next converted sample lies on the file's timeline (samples at `sampleRate`).
        var position: Int?
        var chunk = [Float](repeating: 0, count: 8192)
        /// Keeps what of `n` converted samples starting at `start` falls inside the span asked for.
        func take(_ n: Int, at start: Int) {
            let lo = max(start, first), hi = min(start + n, end)
            if lo < hi { out.append(contentsOf: chunk[(lo - start)..<(hi - start)]) }
        }
        func convert(_ frame: UnsafeMutablePointer<AVFrame>?) -> Int {
            let inCount = frame.map { Int($0.pointee.nb_samples) } ?? 0
            let capacity = Int(swr_get_out_samples(context, Int32(inCount))) + 64
            if chunk.count < capacity { chunk = [Float](repeating: 0, count: capacity) }
            return chunk.withUnsafeMutableBufferPointer { buf -> Int in
                var dst: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(buf.baseAddress!).assumingMemoryBound(to: UInt8.self)
                guard let planes = frame?.pointee.extended_data else { return Int(max(0, swr_convert(context, &dst, Int32(capacity), nil, 0))) }
                return planes.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { src in
                    Int(max(0, swr_convert(context, &dst, Int32(capacity), src, Int32(inCount))))
                }
            }
        }
        while out.count < end - first, input.next() {
            let start = position ?? input.frameMilliseconds * sampleRate / 1000
            let n = convert(input.frame)
            take(n, at: start)
            position = start + n
        }
        if out.count < end - first, let start = position { take(convert(nil), at: start) }
        return out
    }
}
