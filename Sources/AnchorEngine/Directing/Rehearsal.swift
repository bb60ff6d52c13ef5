import AnchorAvatar
import AnchorCore
import AnchorVoice

/// The show played through the live Director without pictures or encoders: every line spoken
/// and placed exactly as on air, read out a frame's worth of audio at a time. What a still
/// (`anchor frame`) draws and what the benches render.
public enum Rehearsal {
    /// The performance up to `until` samples (and the little planned past it), or to the show's
    /// end when that comes first (its `length` says which); without `until`, the whole show
    /// once (a looping show is not repeated).
    public static func performance(of program: Program, rig: Rig, until: Int? = nil, fps: Int = 30,
                                   engine: SpeechEngine = .shared) async throws -> Performance {
        var program = program
        if until == nil { program.rundown.loop = false }
        let director = LiveDirector(program: program, rig: rig, engine: engine)
        director.keepsHistory = true
        director.seedsDrawsFromShow = true
        let rate = SpeechClip.sampleRate
        var n = 0
        try await director.plan()
        while !director.isFinished, until.map({ director.audioPosition < $0 }) ?? true {
            n += 1
            _ = director.read(n * rate / fps - director.audioPosition)
            try await director.plan()
        }
        return director.performance
    }
}
