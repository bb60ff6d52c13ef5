import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorStore
import ArgumentParser
import Foundation

/// `anchor draws`: the lucky draws a channel ran, each checked again from its seed.
struct DrawsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draws",
        abstract: "The lucky draws that aired: keyword, entrants, seed and winner, each re-drawn from its seed to check it.",
        discussion: """
        A show runs a draw with '@draw "keyword" 60s': viewers who type the keyword in the chat \
        while the countdown runs enter once each (by platform id, after moderation), and the \
        winner is picked with a random seed recorded here with every entrant. Re-drawing the same \
        entrants with the same seed gives the same winner: this command does it for every draw.

          anchor draws --since 12h
          anchor draws --state-db /var/lib/anchor/anchor.db --json
        """
    )

    @Option(name: .customLong("state-db"), help: ArgumentHelp("The database 'anchor run' writes (default: $ANCHOR_DB, else ./anchor.db).", valueName: "path"))
    var stateDB: String?

    @Option(help: "Only draws of this channel (default: all).")
    var channel: String?

    @Option(help: ArgumentHelp("Only draws from this long ago on: 90m, 12h, 7d.", valueName: "duration"))
    var since: String?

    @Flag(help: "Print JSON, with every entrant.")
    var json = false

    func run() async throws {
        var from = Date.distantPast
        if let since {
            guard let ms = Parse.milliseconds(since) else { throw ValidationError("--since: '\(since)' is not a duration like 90m, 12h or 7d") }
            from = Date().addingTimeInterval(-Double(ms) / 1000)
        }
        let path = AnchorDatabase.resolvePath(stateDB)
        guard FileManager.default.fileExists(atPath: path) else {
            print("no draws recorded yet (\(path) does not exist)")
            return
        }
        let log = DrawLog(database: try AnchorDatabase(path: path, readOnly: true), channel: channel ?? "main")
        let draws = try log.draws(from: from, allChannels: channel == nil)
        if json { try Terminal.printJSON(draws); return }
        if draws.isEmpty { print("no lucky draws" + (since.map { " in the last \($0)" } ?? "")); return }
        let time = DateFormatter()
        time.dateFormat = "yyyy-MM-dd HH:mm:ss"
        var mismatches = 0
        for d in draws {
            let check = Self.redraw(d)
            if !check { mismatches += 1 }
            let winner = d.winner.map { "winner \($0.name ?? "(name not shown)") [\($0.id)]" } ?? "nobody entered"
            print("\(time.string(from: d.drawnAt))  \(d.channel)  \(d.show)  “\(d.keyword)” \(d.seconds) s  \(d.entrants.count) entrants  \(winner)  seed \(d.seed)  "
                  + (check ? "re-drawn: same winner" : "RE-DRAWN: DIFFERENT WINNER"))
        }
        if mismatches > 0 { throw ExitCode(1) }
    }

    /// The winner again from the recorded entrants and seed.
    static func redraw(_ d: DrawLog.Record) -> Bool {
        var draw = LuckyDraw(keyword: d.keyword)
        draw.restore(d.entrants.map { LuckyDraw.Entrant(id: $0.id, name: $0.name) })
        return draw.pick(seed: d.seed)?.id == d.winner?.id
    }

}
