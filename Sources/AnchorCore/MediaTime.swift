/// Media time, counted in audio samples at 48 kHz: the master clock of the pipeline.
public struct MediaTime: Sendable, Hashable, Codable, Comparable, AdditiveArithmetic {
    public static let sampleRate: Int64 = 48_000

    public var samples: Int64

    public init(samples: Int64) { self.samples = samples }
    public init(milliseconds: Int64) { self.samples = milliseconds * Self.sampleRate / 1000 }

    public var seconds: Double { Double(samples) / Double(Self.sampleRate) }
    public var milliseconds: Int64 { samples * 1000 / Self.sampleRate }

    /// The index of the video frame shown at this time (frame N starts at N/fps).
    public func frameIndex(fps: Int) -> Int64 { samples * Int64(fps) / Self.sampleRate }

    public static var zero: MediaTime { MediaTime(samples: 0) }
    public static func + (a: MediaTime, b: MediaTime) -> MediaTime { MediaTime(samples: a.samples + b.samples) }
    public static func - (a: MediaTime, b: MediaTime) -> MediaTime { MediaTime(samples: a.samples - b.samples) }
    public static func < (a: MediaTime, b: MediaTime) -> Bool { a.samples < b.samples }
}
