import AnchorCore
import AnchorStore
import ArgumentParser
import Foundation

/// Which night to look at: the state database `anchor run` writes, a channel, and a window.
public struct NightOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .customLong("state-db"), help: ArgumentHelp("The database 'anchor run' writes (default: $ANCHOR_DB, else ./anchor.db).", valueName: "path"))
    public var stateDB: String?

    @Option(help: "Only this channel (default: every channel that aired in the window).")
    public var channel: String?

    @Option(help: ArgumentHelp("The window, back from now: 90m, 12h, 7d.", valueName: "duration"))
    public var since = "12h"

    public func validate() throws {
        guard Parse.milliseconds(since).map({ $0 > 0 }) == true else { throw ValidationError("--since: '\(since)' is not a duration like 90m, 12h or 7d") }
    }

    public var window: (from: Date, to: Date) {
        let to = Date()
        return (to.addingTimeInterval(-Double(Parse.milliseconds(since) ?? 0) / 1000), to)
    }

    /// The database, opened read-only; a clear error when `anchor run` never wrote one.
    public func database() throws -> AnchorDatabase {
        let path = AnchorDatabase.resolvePath(stateDB)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no state database at \(path): 'anchor run' writes one (give --state-db PATH if it is elsewhere)")
        }
        do { return try AnchorDatabase(path: path, readOnly: true) } catch { throw ValidationError("\(error)") }
    }

    /// The channels to report on: the one asked for, else those with events in the window.
    public func channels(_ log: AnalyticsLog) throws -> [String] {
        if let channel { return [channel] }
        return try log.channels(from: window.from)
    }
}
