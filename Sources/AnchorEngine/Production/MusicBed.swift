/// A music file looped seamlessly under the show: its end is cross-faded into its start once,
/// so the loop can be read at any sample of the show's clock without a seam.
struct MusicBed {
    let file: String
    private let loop: [Float]
    static let crossFade = 48_000 / 2

    /// `samples` at 48 kHz, already at the level the bed plays at.
    init?(file: String, samples: [Float]) {
        guard samples.count > 19_200 else { return nil } // under 0.4 s: not a bed
        let fade = min(Self.crossFade, samples.count / 4)
        self.file = file
        var loop = Array(samples[fade..<samples.count])
        let tail = loop.count - fade
        for j in 0..<fade {
            // Equal-power: the file's end fades out while its beginning fades in.
            let x = (Float(j) + 0.5) / Float(fade)
            loop[tail + j] = loop[tail + j] * (1 - x).squareRoot() + samples[j] * x.squareRoot()
        }
        self.loop = loop
    }

    var length: Int { loop.count }

    /// Writes the bed for the show's samples `position..<position + out.count` into `out`.
    func read(at position: Int, into out: UnsafeMutableBufferPointer<Float>) {
        var i = 0, k = position % loop.count
        loop.withUnsafeBufferPointer { src in
            while i < out.count {
                let n = min(out.count - i, loop.count - k)
                (out.baseAddress! + i).update(from: src.baseAddress! + k, count: n)
                i += n
                k = 0
            }
        }
    }
}
