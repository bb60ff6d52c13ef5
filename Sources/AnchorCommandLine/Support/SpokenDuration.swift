import AnchorCore
import Foundation

/// A rough speaking-time estimate for the narration summary (the voice gives exact figures).
public enum SpokenDuration {
    public static func estimate(_ r: Rundown) -> Double {
        var seconds = 0.0
        for segment in r.segments {
            for event in segment.events {
                switch event {
                case .say(let u):
                    seconds += u.language == .zh
                        ? Double(u.text.unicodeScalars.filter(Language.isHan).count) / 4.5
                        : Double(u.text.split(separator: " ").count) / 2.6
                    seconds += u.cues.reduce(0) { $0 + pauseSeconds($1.cue) }
                case .cue(let cue, _):
                    seconds += pauseSeconds(cue)
                }
            }
        }
        return seconds
    }

    private static func pauseSeconds(_ cue: Cue) -> Double {
        switch cue {
        case .pause(let ms): return Double(ms) / 1000
        case .countdown(let n): return Double(n)
        default: return 0
        }
    }
}
