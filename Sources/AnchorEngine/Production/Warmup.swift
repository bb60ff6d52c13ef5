import AnchorCore
import AnchorMedia
import Foundation

/// What airs before a scheduled show (a schedule entry's `warmup:`): its clip or picture, full
/// screen, over and over, with a countdown to the start. Built when it goes on air, for exactly
/// the time left, so the show it leads into follows when it ends.
enum Warmup {
    /// Names the warm-up of one entry's start (stable while it airs).
    static func id(_ slot: Schedule.Slot) -> String {
        "warm-up \(slot.name) @\(Int(slot.startsAt?.timeIntervalSince1970 ?? 0))"
    }

    /// The pieces the clip is played in: a countdown cue each second keeps what is on screen
    /// right even when the Director forgets the past.
    static let piece = 1_000

    /// The warm-up for `slot` from `now`; the clip's sound plays at the voice's loudness. A file
    /// that cannot be opened leaves the countdown alone over the background.
    static func program(_ slot: Schedule.Slot, now: Date, timeZone: TimeZone, language: Language) -> Program {
        let startsAt = slot.startsAt ?? now
        var clock = Calendar(identifier: .gregorian)
        clock.timeZone = timeZone
        let parts = clock.dateComponents([.hour, .minute], from: startsAt)
        let label = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        let total = max(Self.piece, Int((startsAt.timeIntervalSince(now) * 1000).rounded(.up)))
        let info = try? ClipInfo.probe(slot.show)
        let length = info.map { $0.isStill || $0.milliseconds <= 0 ? Int.max : $0.milliseconds }
        let at = SourceLocation(file: slot.show, line: 1, column: 1)
        var events: [Rundown.Event] = []
        var done = 0, position = 0
        while done < total {
            var n = min(Self.piece, total - done)
            events.append(.cue(.warmup(startsAt: label, left: total - done), source: at))
            if let length {
                n = min(n, length - position)
                events.append(.cue(.play(PlayCue(file: slot.show, placement: .full, waits: true, gain: info?.hasAudio == true ? 0 : nil,
                                                 from: length == Int.max ? 0 : position, length: n)), source: at))
                position = length == Int.max ? 0 : (position + n) % length
            } else {
                events.append(.cue(.pause(milliseconds: n), source: at))
            }
            done += n
        }
        let rundown = Rundown(title: "Warm-up: \(slot.name)", language: language, voice: language.defaultVoice, avatar: "mika",
                              loop: false, seed: 1, products: [], segments: [.init(title: "Warm-up", productSKU: nil, source: at, events: events)])
        return Program(id: id(slot), rundown: rundown, catalog: nil)
    }
}
