import CAV

/// Converts 16-bit mono PCM to 48 kHz float with libswresample (its SIMD filter paths).
final class Resampler {
    private var context: OpaquePointer?
    let inputRate: Int
    let outputRate: Int

    init(from inputRate: Int, to outputRate: Int) throws(VoiceError) {
        self.inputRate = inputRate
        self.outputRate = outputRate
        var outLayout = AVChannelLayout(), inLayout = AVChannelLayout()
        av_channel_layout_default(&outLayout, 1)
        av_channel_layout_default(&inLayout, 1)
        var ctx: OpaquePointer?
        let status = swr_alloc_set_opts2(&ctx, &outLayout, AV_SAMPLE_FMT_FLT, Int32(outputRate), &inLayout, AV_SAMPLE_FMT_S16, Int32(inputRate), 0, nil)
        guard status >= 0, let ctx, swr_init(ctx) >= 0 else {
            throw VoiceError.resampler("cannot convert \(inputRate) Hz to \(outputRate) Hz")
        }
        context = ctx
    }

    deinit { swr_free(&context) }

    /// Resamples one self-contained piece of audio onto the end of `output` (the filter is
    /// flushed at its end) and returns how many samples it added.
    @discardableResult
    func resample(_ input: [Int16], appendingTo output: inout [Float]) -> Int {
        // Each piece starts from a clean filter, so a piece's output never depends on the one before.
        guard !input.isEmpty, let context, swr_init(context) >= 0 else { return 0 }
        let capacity = Int(swr_get_out_samples(context, Int32(input.count))) + 256
        let base = output.count
        output.reserveCapacity(max(output.capacity, (base + capacity) * 3 / 2))
        var produced = 0
        output.append(contentsOf: repeatElement(0, count: capacity))
        output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBytes { inp in
                let start = UnsafeMutableRawPointer(out.baseAddress! + base).assumingMemoryBound(to: UInt8.self)
                var outPtr: UnsafeMutablePointer<UInt8>? = start
                var inPtr: UnsafePointer<UInt8>? = inp.baseAddress?.assumingMemoryBound(to: UInt8.self)
                let n = swr_convert(context, &outPtr, Int32(capacity), &inPtr, Int32(input.count))
                if n > 0 { produced += Int(n) }
                // Flush what the filter still holds.
                var tail: UnsafeMutablePointer<UInt8>? = start + produced * MemoryLayout<Float>.size
                let m = swr_convert(context, &tail, Int32(capacity - produced), nil, 0)
                if m > 0 { produced += Int(m) }
            }
        }
        output.removeLast(capacity - produced)
        return produced
    }
}
