/// `@play FILE [full|window|card] [wait|talk] [volume …] [from …] [for …]`: a clip or picture played inside the show.
public struct PlayCue: Sendable, Hashable, Codable {
    /// Where the picture goes.
    public enum Placement: String, Sendable, Hashable, Codable, CaseIterable {
        /// The whole frame; the presenter steps aside.
        case full
        /// A window beside the presenter.
        case window
        /// In the product card, where the product's picture is.
        case card
    }

    /// The file, resolved against the show's folder.
    public var file: String
    public var placement: Placement
    /// The show holds until the clip ends (else the presenter talks over it).
    public var waits: Bool
    /// Gain in dB after the clip's sound is matched to the show's loudness; nil mutes it.
    public var gain: Double?
    /// Where in the clip to start, and how long to play (milliseconds). `length` is nil until
    /// the file was opened (its length from `from`; a still picture shows for 5 s).
    public var from: Int
    public var length: Int?

    public init(file: String, placement: Placement = .full, waits: Bool? = nil, gain: Double? = 0, from: Int = 0, length: Int? = nil) {
        self.file = file; self.placement = placement; self.waits = waits ?? (placement == .full)
        self.gain = gain; self.from = from; self.length = length
    }

    /// How long a still picture shows when the script does not say.
    public static let stillMilliseconds = 5_000
}
