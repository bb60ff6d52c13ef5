import AnchorAvatar
import AnchorChat
import AnchorCore
import Foundation

/// Where a lucky draw takes its entries: the channel's chat on air, a replayed log in a preview.
/// The Director opens the draw when its countdown starts in the audio and closes it when the
/// countdown ends, then picks the winner.
public protocol DrawHost: AnyObject {
    /// Starts taking entries for `keyword` (replacing a draw left open).
    func openDraw(keyword: String)
    /// How many have entered the open draw.
    var drawEntrants: Int { get }
    /// Stops taking entries and hands over the draw (nil when none was open).
    func closeDraw() -> LuckyDraw?
    /// The rules whose templates word the draw.
    var drawRules: RuleBook? { get }
}
