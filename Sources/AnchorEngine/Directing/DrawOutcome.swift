import AnchorAvatar
import AnchorChat
import AnchorCore
import Foundation

/// How a lucky draw ended: what the air log records so it can be audited later.
public struct DrawOutcome: Sendable, Codable, Equatable {
    public var keyword: String
    public var seconds: Int
    /// The seed the winner was picked with (`LuckyDraw.pick(seed:)` over the entrants gives it again).
    public var seed: UInt64
    public var entrants: [LuckyDraw.Entrant]
    public var winner: LuckyDraw.Entrant?
    public var show: String

    /// Picks the winner of a closed draw with a fresh seed (or the one given, for previews).
    public init(draw: LuckyDraw, seconds: Int, show: String, seed: UInt64 = UInt64.random(in: .min ... .max)) {
        keyword = draw.keyword
        self.seconds = seconds
        self.seed = seed
        entrants = draw.entrants
        winner = draw.pick(seed: seed)
        self.show = show
    }
}
