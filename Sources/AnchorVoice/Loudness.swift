import CEbur128
import Foundation

/// An integrated-loudness meter fed piece by piece (libebur128's state, owned here).
final class LoudnessMeter {
    private var state: UnsafeMutablePointer<ebur128_state>?
    private(set) var frames = 0
    let sampleRate: Int

    init(sampleRate: Int) {
        self.sampleRate = sampleRate
        state = ebur128_init(1, UInt(sampleRate), Int32(EBUR128_MODE_I.rawValue))
    }

    deinit { ebur128_destroy(&state) }

    func add(_ samples: [Int16]) {
        guard let state, !samples.isEmpty else { return }
        samples.withUnsafeBufferPointer { _ = ebur128_add_frames_short(state, $0.baseAddress, $0.count) }
        frames += samples.count
    }

    /// Integrated loudness in LUFS; −inf when there is too little sound to measure.
    var integrated: Double {
        var out = -Double.infinity
        guard let state, ebur128_loudness_global(state, &out) == 0 else { return -.infinity }
        return out
    }
}

/// EBU R128 / ITU-R BS.1770 loudness, measured with libebur128.
public enum Loudness {
    public struct Measurement: Sendable {
        /// Integrated loudness in LUFS (−inf for silence).
        public var integrated: Double
        /// Sample peak in dBFS.
        public var peak: Double
    }

    public static func measure(_ samples: [Float], sampleRate: Int) -> Measurement {
        guard !samples.isEmpty, var state = ebur128_init(1, UInt(sampleRate), Int32(EBUR128_MODE_I.rawValue | EBUR128_MODE_SAMPLE_PEAK.rawValue)) else {
            return Measurement(integrated: -.infinity, peak: -.infinity)
        }
        var optional: UnsafeMutablePointer<ebur128_state>? = state
        defer { ebur128_destroy(&optional) }
        samples.withUnsafeBufferPointer { _ = ebur128_add_frames_float(state, $0.baseAddress, $0.count) }
        var loudness = -Double.infinity, peak = 0.0
        if ebur128_loudness_global(state, &loudness) != 0 { loudness = -.infinity }
        _ = ebur128_sample_peak(state, 0, &peak)
        state = optional ?? state
        return Measurement(integrated: loudness, peak: peak > 0 ? 20 * log10(peak) : -.infinity)
    }
}
