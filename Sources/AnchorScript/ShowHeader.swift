import AnchorCore
import Yams

/// The YAML front matter of a show.
public struct ShowHeader: Sendable {
    public enum ProductSelection: Sendable {
        case none
        case skus([(sku: String, location: SourceLocation)])
        case tag(String, SourceLocation)
        case all
    }

    public var title: String?
    public var language: Language = .en
    public var voice: String?
    public var avatar: String = "mika"
    public var products: ProductSelection = .none
    public var loop = false
    public var seed: UInt64?
    /// Probability (0…1) that a Chinese clause ending gets a modal particle.
    public var particleRate: Double?
    /// A catalog file, relative to the show, used when none is given on the command line.
    public var catalog: String?
    public var background: String?
    /// `music: FILE`: a bed under the voice, relative to the show.
    public var music: String?
    public var musicLocation: SourceLocation?

    public static let knownKeys = ["title", "language", "voice", "avatar", "products", "loop", "seed", "style", "catalog", "background", "music", "description"]
    public static let stylePresets: [String: Double] = ["plain": 0, "warm": 0.35, "lively": 0.6]
    public static let defaultParticleRate = 0.35

    public init() {}
}
