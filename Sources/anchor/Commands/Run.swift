import AnchorChat
import AnchorCommandLine
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
import ServiceLifecycle
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

        With --station FILE one process airs several channels side by side, each with its own \
        schedule, ingest (push, push_file or push_env), recordings and picture (docs/SCALE.md): \
        one failing stops alone and starts again after a back-off; the control port serves the \
        station at / and each channel under /channels/NAME/. /healthz and /readyz (every \
        channel on air with a live destination) and /metrics answer without the token.

        Examples:
          anchor run --schedule Scripts/week.schedule.yaml --push "$INGEST"
          anchor run --schedule Scripts/week.schedule.yaml --push "$INGEST" --record recordings --control 127.0.0.1:8090
          curl -H "Authorization: Bearer $(cat anchor-control.token)" -d '{"user":"ann","text":"how much is the serum?"}' http://127.0.0.1:8090/chat
          PUSH_EVENING="$INGEST_A" PUSH_NIGHT="$INGEST_B" anchor run --station Scripts/shops.station.yaml
        """
    )

    @Option(help: "The schedule (*.schedule.yaml).")
    var schedule: String?

    @Option(help: ArgumentHelp("A station file (*.station.yaml): several channels in one process, each with its own schedule, ingest, recordings and picture; the command line's options are their defaults. See docs/SCALE.md.", valueName: "file"))
    var station: String?

    @OptionGroup var stream: StreamOptions

    @Option(help: "Record to this folder as MP4 files, one per --segment, with a chapter per show segment.")
    var record: String?

    @Option(help: "Length of each recording file, at least 10s (30m, 1h…).")
    var segment: RecordingSegment = RecordingSegment(milliseconds: 3_600_000)

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
    var duration: RunLength?

    @OptionGroup var catalogOptions: CatalogOptions

    func validate() throws {
        guard (schedule == nil) != (station == nil) else { throw ValidationError("give --schedule FILE (one channel) or --station FILE (several)") }
        if station != nil, !stream.pushes.isEmpty || stream.pushFile != nil || record != nil {
            throw ValidationError("with --station each channel names its own push and record in the station file")
        }
        guard ChannelConfiguration.isValidName(channel) else { throw ValidationError("--channel takes a-z, 0-9, - and _ (at most 63), not '\(channel)'") }
    }

    func run() async throws {
        FileLimit.raise()
        let log = Logger(label: "anchor.run")
        var endpoint: ControlEndpoint?
        let given = token ?? ProcessInfo.processInfo.environment["ANCHOR_TOKEN"]
        do { endpoint = try ControlEndpoint(control, token: given == "none" ? nil : given) } catch {
            throw ValidationError(error.description)
        }
        if let secret = try Self.eventsSecret(file: eventsSecretFile) {
            guard endpoint != nil else { throw ValidationError("--events-secret-file needs the control port (not --control off)") }
            endpoint?.eventsSecret = secret
        }
        let configurations = try station.map(stationConfigurations) ?? [configuration(name: channel, schedulePath: schedule ?? "", stream: stream, record: record,
                                                                                     segment: segment, avatar: nil)]
        var madeTokenFile: String?
        if endpoint != nil, endpoint?.token == nil, given != "none" {
            // Commands always need a token, also on loopback: any web page can reach 127.0.0.1.
            let file = tokenFile ?? ((AnchorDatabase.resolvePath(stateDB) as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent("anchor-control.token")
            endpoint?.token = try ControlToken.make(writingTo: file)
            madeTokenFile = file
        }

        let database = try AnchorDatabase(path: AnchorDatabase.resolvePath(stateDB))
        let metrics = MetricsExport.bootstrap() // before any instrument is made
        let channels: [AnchorEngine.Channel]
        do { channels = try configurations.map { try AnchorEngine.Channel($0, database: database, logger: log) } } catch let e as AnchorEngine.Channel.Problem {
            Terminal.error("error: \(e)")
            throw ExitCode(1)
        }
        let set = ChannelSet(channels, logger: log)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: set, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let endpoint {
            let server = ControlServer(endpoint: endpoint, rooms: channels.map(ControlServer.Room.init), station: station != nil, metrics: metrics)
            let tokenNote = madeTokenFile ?? "-"
            // The control port opens once the channels are on air: what the live path needs
            // (espeak-ng's data, the encoders, the ingest and recording files) is open before anyone can connect.
            let control = server.service(after: { await set.onAir() }, logger: log) { port in
                log.info("control", metadata: ["url": "http://\(endpoint.host):\(port)/", "token-file": "\(tokenNote)"])
            }
            services.insert(.init(service: control), at: 0)
        }
        // SIGTERM or Ctrl-C: the channels finish their word, close recordings and end their streams;
        // the control port closes after them. Anything still going after 30 s is cancelled.
        var group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: Self.quiet)
        group.maximumGracefulShutdownDuration = .seconds(30)
        try await ServiceGroup(configuration: group).run()

        for c in channels {
            guard let final = c.result else { continue }
            for d in final.destinations {
                print(String(format: "  %@%@: %d sessions, %d reconnects, %.1f MB, dropped %d video / %d audio", channels.count > 1 ? "\(c.name) " : "", d.url,
                             d.sessions, d.reconnects, Double(d.bytes) / 1e6, d.queue.droppedVideo, d.queue.droppedAudio))
                if let rtc = d.webrtc { print("    " + rtc.summary) }
            }
        }
        // A channel that failed makes the run's exit status say so (its error is in the log).
        let failed = channels.compactMap { c in c.board.current.failure.map { "\(c.name): \($0)" } }
        if !failed.isEmpty { throw RunFailure(description: failed.joined(separator: "; ")) }
    }

    struct RunFailure: Error, CustomStringConvertible { var description: String }

    /// ServiceLifecycle's own log lines (start, signal caught) at warning: ours say what matters.
    static var quiet: Logger {
        var l = Logger(label: "anchor.lifecycle")
        l.logLevel = .warning
        return l
    }

    /// One channel from a schedule and the stream options; the schedule and its shows must be sound.
    func configuration(name: String, schedulePath: String, stream: StreamOptions, record: String?, segment: RecordingSegment, avatar: String?,
                       environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ChannelConfiguration {
        let (w, h, limit) = try RenderOptions.validate(size: stream.size, fps: stream.fps, duration: duration?.text)
        let label = station == nil ? "" : "channel '\(name)': "
        guard try !stream.pushTexts(environment: environment).isEmpty || record != nil else {
            throw ValidationError(label + "give at least one --push URL (or --push-file, $ANCHOR_PUSH) or --record FOLDER")
        }
        let targets = try stream.targets(environment: environment)
        // The schedule and every show in it must be sound before anything airs.
        var (loaded, diagnostics) = Schedule.load(path: schedulePath)
        if let loaded { diagnostics += ShowMedia.warmups(loaded) }
        Terminal.print(diagnostics) { _ in nil }
        guard let sched = loaded, !diagnostics.hasErrors else {
            Terminal.error("error: \(schedulePath) has errors; check it with 'anchor schedule check \(schedulePath)'")
            throw ExitCode(1)
        }
        let catalogOptions = self.catalogOptions
        let options = try stream.liveOptions(width: w, height: h, duration: limit ?? SpeechClip.sampleRate * 86_400 * 3_650) // ten years: until stopped
        let (rules, blocklist) = (stream.rules, stream.blocklist)
        var c = ChannelConfiguration(name: name, schedule: sched, load: { Self.compile($0, catalogOptions: catalogOptions) }, targets: targets, options: options,
                                     responder: { try ChatOptions.responder(catalog: $0, rules: rules, blocklist: blocklist) })
        c.record = record
        c.segmentMilliseconds = segment.milliseconds
        c.avatar = avatar
        let specs = try stream.connectorSpecs() + sched.chat
        let feed = ChatFeedOptions(stream)
        let log = Logger(label: "anchor.run")
        c.feedChat = { chat, board in
            try feed.start(into: chat)
            try Connectors.start(specs, into: chat, board: board) { log.info("\($0)", metadata: ["channel": "\(name)"]) }
        }
        return c
    }

    /// The station file's channels, each over the command line's options.
    func stationConfigurations(_ path: String) throws -> [ChannelConfiguration] {
        let (file, diagnostics) = StationFile.load(path: path)
        Terminal.print(diagnostics) { _ in nil }
        guard let file, !diagnostics.hasErrors else {
            Terminal.error("error: \(path) has errors")
            throw ExitCode(1)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["ANCHOR_PUSH"] = nil // one channel's ingest is never every channel's
        return try file.channels.map { e in
            var s = stream
            s.pushes = e.push
            s.pushFile = e.pushFile
            if let size = e.size { s.picture.sizeText = size }
            if let fps = e.fps { s.picture.fpsValue = fps }
            if let preset = e.preset { s.preset = preset }
            if let rules = e.rules { s.rules = rules }
            if let blocklist = e.blocklist { s.blocklist = blocklist }
            if let chat = e.chat { s.chat = chat }
            if let events = e.events { s.events = events }
            s.connects += e.connect
            var env = environment
            if let name = e.pushEnv {
                guard let value = environment[name], !value.isEmpty else { throw ValidationError("channel '\(e.name)': $\(name) (its push_env) is not set") }
                env["ANCHOR_PUSH"] = value
            }
            let segment = try e.segment.map { try RecordingSegment.parse($0, label: "channel '\(e.name)': segment") } ?? self.segment
            var c = try configuration(name: e.name, schedulePath: e.schedule, stream: s, record: e.record, segment: segment, avatar: e.avatar, environment: env)
            // One room's error is not the station's: it starts again (5 s, doubling to 5 min).
            c.restartsAfterFailure = true
            return c
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
