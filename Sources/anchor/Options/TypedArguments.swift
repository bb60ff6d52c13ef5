import AnchorCore
import ArgumentParser

/// `--duration`: a positive time like 90s, 10m or 1h (anything else is a usage error, exit 64).
struct RunLength: ExpressibleByArgument, Sendable {
    let text: String
    let milliseconds: Int

    init?(argument: String) {
        guard let ms = Parse.milliseconds(argument), ms > 0 else { return nil }
        (text, milliseconds) = (argument, ms)
    }

    var defaultValueDescription: String { text }
}

/// `--segment`: how long each recording file is, at least 10s (30m, 1h…).
struct RecordingSegment: ExpressibleByArgument, Sendable {
    let milliseconds: Int

    init(milliseconds: Int) { self.milliseconds = milliseconds }

    init?(argument: String) {
        guard let ms = Parse.milliseconds(argument), ms >= 10_000 else { return nil }
        milliseconds = ms
    }

    /// From a file rather than the command line: the same rule, with a message naming where.
    static func parse(_ text: String, label: String) throws -> RecordingSegment {
        guard let s = RecordingSegment(argument: text) else { throw ValidationError("\(label) takes a time of at least 10s, like 30m or 1h, not '\(text)'") }
        return s
    }

    var defaultValueDescription: String {
        milliseconds % 3_600_000 == 0 ? "\(milliseconds / 3_600_000)h" : milliseconds % 60_000 == 0 ? "\(milliseconds / 60_000)m" : "\(milliseconds / 1000)s"
    }
}
