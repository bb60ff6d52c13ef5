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
