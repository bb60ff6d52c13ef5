import AnchorChat
import AnchorCore
import AnchorStream

/// Everything one channel needs that the command line (or a station file) decides: its
/// schedule, where it goes, how it looks, and how its chat is answered and fed.
public struct ChannelConfiguration: Sendable {
    /// The channel's name in the database, the logs, the metrics and `/channels/NAME/`.
    public var name: String
    /// A schedule already checked (every show in it compiles).
    public var schedule: Schedule
    /// Compiles a show of the schedule (again when its file changes).
    public var load: Station.Loader
    public var targets: [PushTarget]
    public var options: LiveRenderer.Options
    /// The recordings folder (MP4 files of `segmentMilliseconds` each), or nil.
    public var record: String?
    public var segmentMilliseconds = 3_600_000
    /// An avatar folder or name that replaces the shows' own.
    public var avatar: String?
    /// The chat's responder, made from the catalog of the schedule's shows.
    public var responder: @Sendable (Catalog) throws -> Responder
    /// Starts what feeds the chat (a log file, platform connectors); called once, before airing.
    public var feedChat: @Sendable (LiveChat, Board) throws -> Void = { _, _ in }
    /// After an error on air, start again (at the saved position) after a back-off, instead of
    /// ending: what a station's channels do, so one room's failure is not a night off air.
    public var restartsAfterFailure = false

    public init(name: String, schedule: Schedule, load: @escaping Station.Loader, targets: [PushTarget], options: LiveRenderer.Options,
                responder: @escaping @Sendable (Catalog) throws -> Responder) {
        self.name = name
        self.schedule = schedule
        self.load = load
        self.targets = targets
        self.options = options
        self.responder = responder
    }

    /// Names usable in a URL path, a metric label and a file name.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 63 && name.first != "-"
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }
}
