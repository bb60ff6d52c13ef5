import Foundation

/// Measurements on PCM used by the tests: they stand in for listening.
enum AudioAnalysis {
    static func rms(_ a: ArraySlice<Float>) -> Double {
        guard !a.isEmpty else { return 0 }
        return sqrt(a.reduce(0) { $0 + Double($1) * Double($1) } / Double(a.count))
    }

    static func decibels(_ x: Double) -> Double { 20 * log10(max(x, 1e-9)) }

    /// Median fundamental frequency (Hz) of the voiced 40 ms frames, by autocorrelation
    /// (on the signal averaged down to 12 kHz, plenty for 70–400 Hz voices).
    static func medianPitch(_ a: ArraySlice<Float>, sampleRate inputRate: Int = 48_000) -> Double? {
        let factor = 4, sampleRate = inputRate / factor
        let source = Array(a)
        let x = stride(from: 0, to: source.count - factor + 1, by: factor).map { i in source[i..<(i + factor)].reduce(0, +) / Float(factor) }
        let frame = sampleRate / 25, hop = frame / 2
        let minLag = sampleRate / 400, maxLag = sampleRate / 70
        var pitches: [Double] = []
        var start = 0
        while start + frame + maxLag <= x.count {
            let window = x[start..<(start + frame)]
            if rms(window) > 0.02 {
                var energy = 0.0
                for i in start..<(start + frame) { energy += Double(x[i]) * Double(x[i]) }
                var best = 0.0, bestLag = 0
                for lag in minLag...maxLag {
                    var sum = 0.0
                    for i in start..<(start + frame) { sum += Double(x[i]) * Double(x[i + lag]) }
                    if sum > best { best = sum; bestLag = lag }
                }
                if best / energy > 0.5 { pitches.append(Double(sampleRate) / Double(bestLag)) }
            }
            start += hop
        }
        guard !pitches.isEmpty else { return nil }
        return pitches.sorted()[pitches.count / 2]
    }
}
