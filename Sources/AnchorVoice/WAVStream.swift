import Foundation

/// A WAV file written as it goes (16-bit mono); the header's sizes are filled in on close.
public final class WAVStream {
    private let handle: FileHandle
    private var samples = 0
    private let sampleRate: Int

    public init(path: String, sampleRate: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: WAVFile.data([], sampleRate: sampleRate)) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        self.sampleRate = sampleRate
    }

    public func write(_ pcm: ArraySlice<Float>) throws {
        var out = [Int16](repeating: 0, count: pcm.count)
        for (i, x) in pcm.enumerated() { out[i] = Int16((max(-1, min(1, x)) * 32767).rounded()) }
        try out.withUnsafeBytes { try handle.write(contentsOf: Data($0)) }
        samples += pcm.count
    }

    public func writeSilence(_ count: Int) throws {
        guard count > 0 else { return }
        try handle.write(contentsOf: Data(count: count * 2))
        samples += count
    }

    public func close() throws {
        let header = WAVFile.data([], sampleRate: sampleRate)
        var full = Data(header.prefix(40))
        var dataSize = UInt32(samples * 2).littleEndian
        var riffSize = UInt32(36 + samples * 2).littleEndian
        full.replaceSubrange(4..<8, with: Data(bytes: &riffSize, count: 4))
        full.append(Data(bytes: &dataSize, count: 4))
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: full)
        try handle.close()
    }
}
