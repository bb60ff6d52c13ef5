import AnchorChat
import AnchorCore
import AnchorEngine
import AnchorMedia
import AnchorScript
import AnchorStore
import AnchorStream
import AnchorVoice
import ArgumentParser
import Foundation
import Logging
import NIOPosix
import Synchronization

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Air a schedule around the clock: switch shows, answer chat, resume after a crash, record.",
        discussion: """
        Plays what the schedule says for the time of day (in its time zone), switching shows at \
        segment starts, and pushes it to every --push ingest (each reconnects on its own). The \
        position (show, segment, line) is saved in the database as it airs; after a crash or \
        kill -9 the next start resumes the same segment. An edited show file takes effect at its \
        next segment if it compiles cleanly; otherwise the last good version keeps airing and the \
        error is logged and shown on the control page. The position, the replay index and \
        unanswered questions are kept in --state-db ($ANCHOR_DB or ./anchor.db by default); \
        products come from each show's catalog, or --catalog / --db. SIGTERM or Ctrl-C finish the word being \
        spoken, close the recording and end the stream cleanly.

        The control port (127.0.0.1 by default) serves a status page, JSON status, Prometheus \
        metrics, and accepts chat and commands. Commands need a token, also on 127.0.0.1 (any \
        web page can reach it): --token, ANCHOR_TOKEN, or one made at start into \
        anchor-control.token beside the state database. Bound to any other address every route \
        needs it. Stream keys in --push show in 'ps': prefer --push-file or ANCHOR_PUSH.

        Examples:
          anchor run --schedule Scripts/week.schedule.yaml --push "$INGEST"
          anchor run --schedule Scripts/week.schedule.yaml --push "$INGEST" --record recordings --control 127.0.0.1:8090
          curl -H "Authorization: Bearer $(cat anchor-control.token)" -d '{"user":"ann","text":"how much is the serum?"}' http://127.0.0.1:8090/chat
        """
    )

    @Option(help: "The schedule (*.schedule.yaml).")
    var schedule: String

    @OptionGroup var stream: StreamOptions

    @Option(help: "Record to this folder as MP4 files, one per --segment, with a chapter per show segment.")
    var record: String?

    @Option(help: "Length of each recording file (30m, 1h…).")
    var segment = "1h"

    @Option(help: "Control port: HOST:PORT, or 'off'.")
    var control = "127.0.0.1:8090"

    @Option(help: "Token the control port requires for commands (chat, skip, pause, resume, reload), and off 127.0.0.1 for everything (default: $ANCHOR_TOKEN; on 127.0.0.1 one is made at start and written to --token-file; 'none' turns it off there).")
    var token: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("Where a token made at start is written, readable by you only (default: anchor-control.token beside --state-db).", valueName: "path"))
    var tokenFile: String?

    @Option(name: .customLong("events-secret-file"), help: ArgumentHelp("A shared secret for event webhooks (default: $ANCHOR_EVENTS_SECRET): POST /events then also takes requests signed with X-Anchor-Signature: sha256=HMAC-SHA256(secret, body), without the token.", valueName: "path"))
    var eventsSecretFile: String?

    @Option(name: .customLong("state-db"), help: ArgumentHelp("Where the position, replay index and unanswered questions are kept (default: $ANCHOR_DB, else ./anchor.db).", valueName: "path"))
    var stateDB: String?

    @Option(help: "Name of this channel in the database (several channels can share one).")
    var channel = "main"

    @Option(help: "Stop after this long (for trials): 90s, 10m, 1h.")
    var duration: String?

    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        FileLimit.raise()
        let log = Logger(label: "anchor.run")
        let (w, h, limit) = try RenderOptions.validate(size: stream.size, fps: stream.fps, duration: duration)
        guard try !stream.pushTexts().isEmpty || record != nil else { throw ValidationError("give at least one --push URL (or --push-file, $ANCHOR_PUSH) or --record FOLDER") }
        guard let segmentMs = Parse.milliseconds(segment), segmentMs >= 10_000 else {
            throw ValidationError("--segment takes a time of at least 10s, like 30m or 1h, not '\(segment)'")
        }
        let targets = try stream.targets()
        var endpoint: ControlEndpoint?
        let given = token ?? ProcessInfo.processInfo.environment["ANCHOR_TOKEN"]
        do { endpoint = try ControlEndpoint(control, token: given == "none" ? nil : given) } catch {
            throw ValidationError(error.description)
        }
        if let secret = try Self.eventsSecret(file: eventsSecretFile) {
            guard endpoint != nil else { throw ValidationError("--events-secret-file needs the control port (not --control off)") }
            endpoint?.eventsSecret = secret
        }
        var madeTokenFile: String?
        if endpoint != nil, endpoint?.token == nil, given != "none" {
            // Commands always need a token, also on loopback: any web page can reach 127.0.0.1.
            let file = tokenFile ?? ((AnchorDatabase.resolvePath(stateDB) as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent("anchor-control.token")
            endpoint?.token = try ControlToken.make(writingTo: file)
            madeTokenFile = file
        }

        // The schedule and every show in it must be sound before anything airs.
        var (loaded, diagnostics) = Schedule.load(path: schedule)
        if let loaded { diagnostics += ShowMedia.warmups(loaded) }
        Terminal.print(diagnostics) { _ in nil }
        guard let sched = loaded, !diagnostics.hasErrors else {
            Terminal.error("error: \(schedule) has errors; check it with 'anchor schedule check \(schedule)'")
            throw ExitCode(1)
        }
        let catalogOptions = self.catalogOptions
        let loader: Station.Loader = { path in Self.compile(path, catalogOptions: catalogOptions) }
        let station = Station(schedule: sched, load: loader, report: { event in
            switch event {
            case .switched(let to, let slot): log.info("show change", metadata: ["show": "\(to)", "slot": "\(slot)"])
            case .reloaded(let path): log.info("show reloaded", metadata: ["show": "\(path)"])
            case .rejected(let problem): log.error("show not aired: \(problem.message)", metadata: ["show": "\(problem.path)"])
            }
        })

        let database = try AnchorDatabase(path: AnchorDatabase.resolvePath(stateDB))
        let air = AirLog(database: database, channel: channel)
        let saved = try air.saved().map { (show: $0.show, position: ShowPosition(pass: $0.pass, segment: $0.segment, event: $0.event)) }
        // Every show compiled first: the chat catalog needs them, and a warm-up takes its show's language.
        let preloaded = station.preload()
        let (program, resumed) = station.opening(saved: saved)
        if resumed {
            log.info("resuming", metadata: ["show": "\(program.id)", "segment": "\(program.position.segment)", "line": "\(program.position.event)"])
        } else {
            log.info("starting", metadata: ["show": "\(program.id)"])
        }
        guard let folder = Assets.avatarFolder(program.rundown.avatar, nearShow: program.id) ?? Assets.avatarFolder("juno") else {
            Terminal.error("error: no avatar '\(program.rundown.avatar)' found")
            throw ExitCode(1)
        }

        let options = try stream.liveOptions(width: w, height: h, duration: limit ?? SpeechClip.sampleRate * 86_400 * 3_650) // ten years: until stopped

        let report: @Sendable (String, Bool) -> Void = { message, isError in
            if isError { log.error("\(message)") } else { log.info("\(message)") }
        }
        let analyticsLog = AnalyticsLog(database: database)
        let analytics = AnalyticsWriter(log: analyticsLog, channel: channel, report: report)
        // FAQ entries added at the console on earlier nights answer tonight too.
        let added = Dictionary(grouping: try analyticsLog.addedFAQs(), by: \.productSku)
        let catalog = Catalog(products: Catalog(merging: preloaded.compactMap(\.catalog)).products.map { p in
            var p = p
            p.faq += (added[p.sku] ?? []).map { Product.FAQ(question: $0.question, answer: $0.answer) }
            return p
        })
        let liveChat = LiveChat(responder: try ChatOptions.responder(catalog: catalog, rules: stream.rules, blocklist: stream.blocklist),
                                onEvent: { analytics.record(viewer: $0) },
                                onDecision: { d in
            // Blocked messages are logged with the reason, never their text.
            if d.source == .blocked { log.info("blocked", metadata: ["user": "\(d.user)", "reason": "\(d.detail)"]) }
            analytics.record(decision: d)
        })
        try stream.feedChat(into: liveChat)
        let controls = LiveControl()
        let metrics = MetricsExport.bootstrap() // before any instrument is made
        let board = Board(channel: channel, station: station, chat: liveChat)
        try Connectors.start(try stream.connectorSpecs() + sched.chat, into: liveChat, board: board) { log.info("\($0)") }

        var hooks = LiveRenderer.Hooks()
        hooks.chat = liveChat
        hooks.control = controls
        hooks.willEnterSegment = { station.willEnterSegment($0, $1, $2) }
        // Database writes go through their own queue: a locked database never stalls the stream.
        let writer = AirLogWriter(log: air, report: report)
        board.attach(writer)
        board.attach(analytics)
        let recorder = try record.map { try Recorder(folder: $0, fps: stream.fps, segmentMilliseconds: segmentMs, air: writer, report: report) }
        if let recorder {
            board.attach(recorder)
            hooks.onEncoders = { recorder.start(video: $0, audio: $1) }
            hooks.onPacket = { recorder.write($0) }
            // The segment on air goes on in the new file: index it there too, from its start.
            recorder.onNewFile = { file in
                let s = board.current
                guard !s.segment.isEmpty else { return }
                writer.begin(show: s.show, segment: s.segment, productSku: s.productSKU, file: file, offsetSeconds: 0)
            }
        }
        /// Where the show is, as each line (and segment) starts: what a restart resumes from.
        func save(_ m: LiveDirector.Marker) {
            writer.savePosition(show: m.program, pass: m.position.pass, segment: m.position.segment, event: m.position.event)
        }
        hooks.onMarker = { marker, streamSeconds in
            switch marker.kind {
            case .line:
                save(marker)
            case .segment(let title, let sku):
                log.info("segment", metadata: ["show": "\(marker.program)", "segment": "\(title)", "product": "\(sku ?? "-")"])
                let place = recorder?.place(atStreamSeconds: streamSeconds)
                writer.begin(show: marker.program, segment: title, productSku: sku, file: place?.file, offsetSeconds: place?.offset)
                save(marker)
            case .answer(let d, _):
                log.info("answered", metadata: ["user": "\(d.user)", "source": "\(d.source.rawValue)", "product": "\(d.productSKU ?? "-")"])
            case .cue:
                break
            case .draw(let o):
                // Decided: a restart goes on after the draw, never draws again.
                save(marker)
                log.info("lucky draw", metadata: ["keyword": "\(o.keyword)", "entrants": "\(o.entrants.count)", "winner": "\(o.winner?.id ?? "-")",
                                                  "seed": "\(o.seed)"])
                let record = DrawLog.Record(channel: channel, show: o.show, keyword: o.keyword, seconds: o.seconds, seed: o.seed,
                                            entrants: o.entrants.map { DrawLog.Entrant(id: $0.id, name: $0.name) },
                                            winner: o.winner.map { DrawLog.Entrant(id: $0.id, name: $0.name) }, drawnAt: Date())
                writer.perform("record the lucky draw") { try DrawLog(database: $0.database, channel: $0.channel).record(record) }
            }
            board.marker(marker)
            analytics.record(marker: marker)
        }
        hooks.onThumbnail = { board.thumbnail($0) }

        let stop = Interrupt.install()
        let server = endpoint.map { ControlServer(endpoint: $0, board: board, control: controls, air: air, recordings: record, catalog: catalog, metrics: metrics) }
        let tokenNote = madeTokenFile ?? "-"
        // The control port opens once the show is on air: what the live path needs (espeak-ng's
        // data, the encoders, the ingest and recording files) is open before anyone can connect.
        let serverTask = Mutex<Task<Void, Error>?>(nil)
        let startServer: @Sendable () -> Void = { serverTask.withLock { task in
            guard task == nil, let server else { return }
            task = Task {
                let at = server.endpoint
                do {
                    try await server.run { port in
                        log.info("control", metadata: ["url": "http://\(at.host):\(port)/", "token-file": "\(tokenNote)"])
                    }
                } catch {
                    log.error("control port \(at.host):\(at.port) failed: \(error)")
                    throw error
                }
            }
        } }
        log.info("on air", metadata: ["push": "\(targets.isEmpty ? "-" : targets.map(\.description).joined(separator: ", "))", "record": "\(record ?? "-")"])

        var reportedProblems: Set<String> = []
        let final = try await LiveRenderer(program: program, avatarFolder: folder).run(
            to: targets, options: options, group: MultiThreadedEventLoopGroup.singleton, hooks: hooks,
            status: { s in
                board.update(s)
                analytics.record(status: s)
                for problem in s.problems where reportedProblems.insert(problem).inserted {
                    log.warning("cannot play a clip or music; the show goes on without it", metadata: ["problem": "\(problem)"])
                }
                startServer()
                for m in liveChat.takeUnanswered() {
                    let (sku, language) = (s.productSKU, ChatText(m.text).language.rawValue)
                    analytics.record(unanswered: m, language: language)
                    board.noteUnanswered(m.text, productSku: sku, language: language)
                    writer.perform("keep an unanswered question") {
                        try UnansweredLog(database: $0.database).record(user: m.user, text: m.text, language: language, productSku: sku)
                    }
                }
            },
            shouldStop: { stop.isSet })
        recorder?.finish()
        writer.end()
        writer.flush()
        analytics.flush()
        await server?.shutdown()
        _ = await serverTask.withLock({ $0 })?.result
        if let record { try? ReplayExport.write(air: air, to: (record as NSString).appendingPathComponent("index.json")) }
        log.info("off air", metadata: ["seconds": "\(Int(final.mediaSeconds))", "frames": "\(final.framesSent)", "skipped": "\(final.framesSkipped)"])
        for d in final.destinations {
            print(String(format: "  %@: %d sessions, %d reconnects, %.1f MB, dropped %d video / %d audio", d.url, d.sessions, d.reconnects,
                         Double(d.bytes) / 1e6, d.queue.droppedVideo, d.queue.droppedAudio))
            if let rtc = d.webrtc { print("    " + rtc.summary) }
        }
    }

    /// Compiles one show for the station, with the catalog it names (or the command line's).
    static func compile(_ path: String, catalogOptions: CatalogOptions) -> Result<Program, Station.ShowProblem> {
        guard FileManager.default.fileExists(atPath: path) else { return .failure(.init(path: path, message: "the file is missing")) }
        let parsed = ScriptCompiler.parse(fileAt: path)
        var cache: [String: Catalog] = [:]
        let catalog: Catalog?
        do { catalog = try catalogOptions.resolve(for: parsed, cache: &cache)?.0 } catch {
            return .failure(.init(path: path, message: error.diagnostics.first.map(problem) ?? "no catalog"))
        }
        let compiled = parsed.compile(catalog: catalog, media: ShowMedia.resolve)
        guard let rundown = compiled.rundown, !compiled.diagnostics.hasErrors else {
            return .failure(.init(path: path, message: compiled.diagnostics.first { $0.severity == .error }.map(problem) ?? "does not compile"))
        }
        return .success(Program(id: path, rundown: rundown, catalog: catalog))
    }

    /// One log line for a diagnostic: where, what, and what to do about it.
    private static func problem(_ d: Diagnostic) -> String {
        "\(d.location): \(d.message)" + (d.hint.map { " (\($0))" } ?? "")
    }
}

extension Run {
    /// The webhook secret: a file (first line), else $ANCHOR_EVENTS_SECRET; at least 16 characters.
    static func eventsSecret(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        var secret: String?
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("--events-secret-file: cannot read '\(file)'") }
            secret = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
        } else {
            secret = environment["ANCHOR_EVENTS_SECRET"]
        }
        guard let secret, !secret.isEmpty else { return nil }
        guard secret.count >= 16 else { throw ValidationError("the events secret must be at least 16 characters") }
        return secret
    }
}
