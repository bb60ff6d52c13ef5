import CCompress

/// Whole-buffer zlib and brotli decompression with a ceiling on the output, so a small hostile
/// body cannot expand into gigabytes. The codecs are zlib's and brotli's own.
enum Decompress {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A zlib stream (RFC 1950: header, deflate data, Adler-32).
    static func zlib(_ input: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw Failure(description: "zlib: cannot start") }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var status = Z_OK
        var input = input
        try input.withUnsafeMutableBufferPointer { (inp) throws(Failure) in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inp.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { buf -> Int in
                    stream.next_out = buf.baseAddress
                    stream.avail_out = UInt32(buf.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return buf.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw Failure(description: "zlib: corrupt data (\(status))") }
                out.append(contentsOf: chunk[..<produced])
                guard out.count <= limit else { throw Failure(description: "zlib: expands past \(limit >> 10) KiB") }
                if produced == 0 && stream.avail_in == 0 && status != Z_STREAM_END { throw Failure(description: "zlib: data ends early") }
            } while status != Z_STREAM_END
        }
        return out
    }

    /// A brotli stream (RFC 7932).
    static func brotli(_ input: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else { throw Failure(description: "brotli: cannot start") }
        defer { BrotliDecoderDestroyInstance(state) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        try input.withUnsafeBufferPointer { (inp) throws(Failure) in
            var nextIn = inp.baseAddress
            var availIn = inp.count
            while true {
                var result = BROTLI_DECODER_RESULT_ERROR
                let produced = chunk.withUnsafeMutableBufferPointer { buf -> Int in
                    var nextOut = buf.baseAddress
                    var availOut = buf.count
                    result = BrotliDecoderDecompressStream(state, &availIn, &nextIn, &availOut, &nextOut, nil)
                    return buf.count - availOut
                }
                out.append(contentsOf: chunk[..<produced])
                guard out.count <= limit else { throw Failure(description: "brotli: expands past \(limit >> 10) KiB") }
                switch result {
                case BROTLI_DECODER_RESULT_SUCCESS: return
                case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: continue
                case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: throw Failure(description: "brotli: data ends early")
                default: throw Failure(description: "brotli: corrupt data")
                }
            }
        }
        return out
    }
}
