import AnchorCore
import AnchorMedia
import ArgumentParser

/// `--duration`: a positive time like 90s, 10m or 1h (anything else is a usage error, exit 64).
public struct RunLength: ExpressibleByArgument, Sendable {
    public let text: String
    public let milliseconds: Int

    public init?(argument: String) {
        guard let ms = Parse.milliseconds(argument), ms > 0 else { return nil }
        (text, milliseconds) = (argument, ms)
    }

    public var defaultValueDescription: String { text }
}

/// `--segment`: how long each recording file is, at least 10s (30m, 1h…).
public struct RecordingSegment: ExpressibleByArgument, Sendable {
    public let milliseconds: Int

    public init(milliseconds: Int) { self.milliseconds = milliseconds }

    public init?(argument: String) {
        guard let ms = Parse.milliseconds(argument), ms >= 10_000 else { return nil }
        milliseconds = ms
    }

    /// From a file rather than the command line: the same rule, with a message naming where.
    public static func parse(_ text: String, label: String) throws -> RecordingSegment {
        guard let s = RecordingSegment(argument: text) else { throw ValidationError("\(label) takes a time of at least 10s, like 30m or 1h, not '\(text)'") }
        return s
    }

    public var defaultValueDescription: String {
        milliseconds % 3_600_000 == 0 ? "\(milliseconds / 3_600_000)h" : milliseconds % 60_000 == 0 ? "\(milliseconds / 60_000)m" : "\(milliseconds / 1000)s"
    }
}

// The engine's enums, read from the command line by their raw values.
extension AudioEncoder.Codec: ExpressibleByArgument {}
extension VideoCodec: ExpressibleByArgument {}
extension Intent: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}
