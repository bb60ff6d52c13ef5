import Foundation

/// Lowers a sound while another one (the side chain: the voice) is heard. The gain goes down in
/// 30 ms, holds through the gaps between words and lines (0.6 s), and comes back over 0.6 s, so
/// music under a talking host stays down instead of pumping with every word.
struct Ducker {
    /// The gain while the side chain is heard (linear).
    let depth: Float
    private var envelope: Float = 0
    private var gain: Float = 1
    private var held = 0

    static let threshold: Float = 0.01 // −40 dBFS
    static let holdSamples = 48_000 * 6 / 10
    static let envelopeDecay: Float = 1 - 1 / (0.010 * 48_000)
    static let attack: Float = 1 / (0.030 * 48_000)
    static let release: Float = 1 / (0.600 * 48_000)

    init(depthDecibels: Float) { depth = Float(pow(10, Double(depthDecibels) / 20)) }

    /// Multiplies `sound` in place by the gain the side chain calls for, sample by sample.
    mutating func apply(_ sound: UnsafeMutableBufferPointer<Float>, sideChain: UnsafeBufferPointer<Float>) {
        for i in 0..<min(sound.count, sideChain.count) {
            envelope = max(abs(sideChain[i]), envelope * Self.envelopeDecay)
            if envelope > Self.threshold { held = Self.holdSamples } else if held > 0 { held -= 1 }
            let target: Float = held > 0 ? depth : 1
            gain += (target - gain) * (target < gain ? Self.attack : Self.release)
            sound[i] *= gain
        }
    }
}
