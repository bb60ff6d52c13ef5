import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorStore
import ArgumentParser
import Foundation

/// `anchor replay export`: the night's replay as a static site.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "The replay of what aired: a page with a node per product segment.",
        subcommands: [Export.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the replay as a static site: index.html, the recordings, replay.json.",
            discussion: """
            The page plays the recordings 'anchor run --record' made, with a node per product \
            segment (a click jumps there) and the product's card beside the player — the same \
            page as the control port's /replay, with its data inside. Upload the folder anywhere \
            that serves files (the recordings are MP4 with chapters; seeking uses HTTP ranges, \
            which every static host supports); it also opens from disk.

              anchor replay export --since 24h -o site/
              anchor replay export --state-db /var/lib/anchor/anchor.db --recordings /var/lib/anchor/rec -o site/
            """
        )

        @OptionGroup var night: NightOptions

        @Option(name: .shortAndLong, help: ArgumentHelp("The folder to write (created; files in it are replaced).", valueName: "folder"))
        var output: String

        @Option(help: ArgumentHelp("Where the recordings are, when not where 'anchor run' wrote them (default: the paths in the index).", valueName: "folder"))
        var recordings: String?

        @OptionGroup var catalogOptions: CatalogOptions

        func run() async throws {
            let database = try night.database()
            let (from, to) = night.window
            let channels = try night.channel.map { [$0] } ?? Set(try AnalyticsLog(database: database).channels(from: from) + ["main"]).sorted()
            var moments: [AirLog.Moment] = []
            for c in channels { moments += try AirLog(database: database, channel: c).moments(overlapping: from, to: to) }
            moments.sort { $0.startedAt < $1.startedAt }
            guard !moments.isEmpty else { throw ValidationError("nothing aired in the last \(night.since) (in \(database.path))") }

            let fm = FileManager.default
            let media = (output as NSString).appendingPathComponent("media")
            try fm.createDirectory(atPath: media, withIntermediateDirectories: true)
            var copied: [String: String] = [:], missing: Set<String> = []
            for m in moments {
                guard let file = m.file, copied[file] == nil, !missing.contains(file) else { continue }
                let name = (file as NSString).lastPathComponent
                let candidates = [file] + (recordings.map { [($0 as NSString).appendingPathComponent(name)] } ?? [])
                guard let source = candidates.first(where: fm.fileExists(atPath:)) else { missing.insert(file); continue }
                let target = (media as NSString).appendingPathComponent(name)
                try? fm.removeItem(atPath: target)
                // A hard link when on the same disk (an hour of video is not copied), else a copy.
                do { try fm.linkItem(atPath: source, toPath: target) } catch { try fm.copyItem(atPath: source, toPath: target) }
                copied[file] = target
            }
            // Moments whose recording is not there are listed, not playable.
            let kept = moments.map { m -> AirLog.Moment in
                var m = m
                if let f = m.file, copied[f] == nil { m.file = nil }
                return m
            }
            let data = ReplayPage.Data(moments: kept, catalog: catalog(shows: Set(moments.map(\.show))), mediaBase: "media/")
            let page = ReplayPage.render(data: data, title: "Replay · " + channels.joined(separator: ", "))
            try page.write(toFile: (output as NSString).appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
            try ReplayPage.encoder.encode(data).write(to: URL(fileURLWithPath: (output as NSString).appendingPathComponent("replay.json")), options: .atomic)
            print("wrote \(output)/index.html: \(data.nodes.count) segments, \(copied.count) recordings in \(output)/media")
            if !missing.isEmpty {
                Terminal.error("warning: \(missing.count) recordings not found (give --recordings FOLDER): " + missing.sorted().prefix(3).joined(separator: ", "))
            }
        }

        /// The product cards: each aired show's catalog, as 'anchor run' found it (a show that no
        /// longer compiles gives none: its nodes show segment titles).
        func catalog(shows: Set<String>) -> Catalog {
            Catalog(merging: shows.sorted().compactMap { show in
                guard case .success(let program) = Run.compile(show, catalogOptions: catalogOptions) else { return nil }
                return program.catalog
            })
        }
    }
}
