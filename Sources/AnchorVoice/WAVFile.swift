import Foundation

/// 16-bit PCM mono WAV files.
public enum WAVFile {
    public static func data(_ samples: [Float], sampleRate: Int) -> Data {
        var d = Data(capacity: 44 + samples.count * 2)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        let bytes = UInt32(samples.count * 2)
        d.append(contentsOf: Array("RIFF".utf8)); u32(36 + bytes); d.append(contentsOf: Array("WAVE".utf8))
        d.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(1); u32(UInt32(sampleRate)); u32(UInt32(sampleRate * 2)); u16(2); u16(16)
        d.append(contentsOf: Array("data".utf8)); u32(bytes)
        var pcm = [Int16](repeating: 0, count: samples.count)
        for i in samples.indices { pcm[i] = Int16((max(-1, min(1, samples[i])) * 32767).rounded()) }
        pcm.withUnsafeBytes { d.append(contentsOf: $0) }
        return d
    }

    public static func write(_ samples: [Float], sampleRate: Int, to path: String) throws {
        try data(samples, sampleRate: sampleRate).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
