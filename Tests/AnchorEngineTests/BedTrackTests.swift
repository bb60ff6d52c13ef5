@testable import AnchorEngine
import Testing

@Suite struct BedTrackTests {
    /// A bed of one level, 4 s long (its loop seam is past everything read here).
    func bed(_ name: String, _ level: Float) -> MusicBed { MusicBed(file: name, samples: [Float](repeating: level, count: 192_000))! }

    func read(_ beds: inout BedTrack, _ count: Int) -> [Float] {
        var out: [Float] = []
        var chunk = [Float](repeating: 0, count: 1_600)
        while out.count < count {
            let start = out.count
            chunk.withUnsafeMutableBufferPointer { beds.read(at: start, into: $0) }
            out += chunk
        }
        return out
    }

    /// The show's first bed starts at full level; a change cross-fades over half a second; off
    /// fades out; a change planned past a cut happens at the cut; the same bed again is no change.
    @Test func bedsStartChangeCrossFadeAndStop() {
        var beds = BedTrack()
        beds.set(bed("a", 0.1), at: 0)
        beds.set(bed("b", 0.2), at: 48_000)
        beds.set(bed("b", 0.2), at: 60_000)
        beds.set(nil, at: 96_000)
        let out = read(&beds, 150_000)
        #expect(abs(out[0] - 0.1) < 1e-6 && abs(out[47_999] - 0.1) < 1e-6)
        #expect(abs(out[48_000 + 12_000] - 0.15) < 1e-3, "half way through the cross-fade: \(out[60_000])")
        #expect(abs(out[80_000] - 0.2) < 1e-6)
        #expect(abs(out[96_000 + 12_000] - 0.1) < 1e-3 && out[120_000...].allSatisfy { $0 == 0 })
        // Monotonic through each fade: no step.
        #expect(zip(out[48_000..<72_000], out[48_001..<72_001]).allSatisfy { $1 >= $0 - 1e-7 })

        var cut = BedTrack()
        cut.set(bed("a", 0.1), at: 0)
        cut.set(bed("c", 0.3), at: 100_000)
        cut.cut(at: 30_000)
        let after = read(&cut, 80_000)
        #expect(abs(after[29_999] - 0.1) < 1e-6 && abs(after[60_000] - 0.3) < 1e-6)
    }
}
