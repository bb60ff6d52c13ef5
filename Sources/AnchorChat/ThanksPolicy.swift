import Foundation

/// When viewers are thanked on air, from the rules files' `thanks:` map:
///
///     thanks:
///       window: 1.5s      # a burst settles this long before its line
///       every: 10s        # at most one thanks line this often (what comes meanwhile joins the next)
///       per_viewer: 60s   # a viewer is named at most once in this time
///       min_gift: 10      # gifts worth less (platform units) are counted, not thanked
///       likes_every: 60s  # likes thanked as a group at most this often (0: never)
///       min_likes: 20     # …and only when at least this many came
///       follows: true
///       shares: true
///       joins: false
///       names: 3          # names said in one line; the rest are "and 5 more"
public struct ThanksPolicy: Sendable, Equatable {
    public var window = 1.5
    public var every = 10.0
    public var perViewer = 60.0
    public var minGift = 0.0
    public var likesEvery = 60.0
    public var minLikes = 20
    public var follows = true
    public var shares = true
    public var joins = false
    public var names = 3

    public init() {}

    static let keys = ["window", "every", "per_viewer", "min_gift", "likes_every", "min_likes", "follows", "shares", "joins", "names"]

    /// Reads a `thanks:` map; an unknown key or a bad value is an error naming it.
    public init(yaml map: [String: Any], file: String) throws(RuleBook.LoadError) {
        self.init()
        for (key, value) in map {
            let text = "\(value)"
            func fail(_ want: String) -> RuleBook.LoadError { RuleBook.LoadError(description: "\(file): thanks.\(key): \(want), not '\(text.prefix(40))'") }
            func seconds() throws(RuleBook.LoadError) -> Double {
                guard let s = RuleBook.seconds(value), s >= 0, s <= 86_400 else { throw fail("a duration like 10s or 2m") }
                return s
            }
            func flag() throws(RuleBook.LoadError) -> Bool {
                guard let b = value as? Bool else { throw fail("true or false") }
                return b
            }
            func count(_ range: ClosedRange<Int>) throws(RuleBook.LoadError) -> Int {
                guard let n = value as? Int, range.contains(n) else { throw fail("a whole number from \(range.lowerBound) to \(range.upperBound)") }
                return n
            }
            switch key {
            case "window": window = try seconds()
            case "every": every = try seconds()
            case "per_viewer": perViewer = try seconds()
            case "likes_every": likesEvery = try seconds()
            case "min_gift":
                guard let n = numericValue(value), n >= 0, n <= 1e9 else { throw fail("a number from 0") }
                minGift = n
            case "min_likes": minLikes = try count(1...1_000_000)
            case "names": names = try count(0...10)
            case "follows": follows = try flag()
            case "shares": shares = try flag()
            case "joins": joins = try flag()
            default:
                throw RuleBook.LoadError(description: "\(file): unknown thanks setting '\(key)' (settings: \(Self.keys.joined(separator: ", ")))")
            }
        }
    }
}
