import CEbur128
import Foundation

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
