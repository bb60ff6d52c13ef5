import AnchorAvatar
import AnchorChat
import AnchorCore
import AnchorStore
import AnchorStream
import AnchorVoice
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// One live room, around the clock: its station (schedule and shows), Director, renderer,
/// encoders, destinations, chat, recorder, air log, analytics and board.
///
/// Making one does everything that can fail on bad input (the database, the shows, the avatar,
/// the recording folder, the chat's rules) before anything airs; `run()` airs it until the
/// duration is over, the task is cancelled, or graceful shutdown (SIGTERM in a `ServiceGroup`):
/// then the word being spoken finishes, the recording closes and the stream ends cleanly.
public final class Channel: Service, Sendable {
    public let name: String
    public let board: Board
    public let control = LiveControl()
    public let air: AirLog
    /// Products of every show in the schedule, with the FAQ entries added at the console.
    public let catalog: Catalog
    public var recordings: String? { configuration.record }

    let configuration: ChannelConfiguration
    let station: Station
    let program: Program
    let avatarFolder: String
    let chat: LiveChat
    let writer: AirLogWriter
    let analytics: AnalyticsWriter
    let recorder: Recorder?
    let logger: Logger
    private let started = Latch()
    private let outcome = Mutex<LiveRenderer.Status?>(nil)

    public init(_ configuration: ChannelConfiguration, database: AnchorDatabase, logger base: Logger) throws {
        var log = base
        log[metadataKey: "channel"] = "\(configuration.name)"
        let logger = log
        self.logger = logger
        self.configuration = configuration
        name = configuration.name
        station = Station(schedule: configuration.schedule, load: configuration.load, report: { event in
            switch event {
            case .switched(let to, let slot): logger.info("show change", metadata: ["show": "\(to)", "slot": "\(slot)"])
            case .reloaded(let path): logger.info("show reloaded", metadata: ["show": "\(path)"])
            case .rejected(let problem): logger.error("show not aired: \(problem.message)", metadata: ["show": "\(problem.path)"])
            }
        })
        air = AirLog(database: database, channel: name)
        let saved = try air.saved().map { (show: $0.show, position: ShowPosition(pass: $0.pass, segment: $0.segment, event: $0.event)) }
        // Every show compiled first: the chat catalog needs them, and a warm-up takes its show's language.
        let preloaded = station.preload()
        let (program, resumed) = station.opening(saved: saved)
        self.program = program
        if resumed {
            logger.info("resuming", metadata: ["show": "\(program.id)", "segment": "\(program.position.segment)", "line": "\(program.position.event)"])
        } else {
            logger.info("starting", metadata: ["show": "\(program.id)"])
        }
        let wanted = configuration.avatar ?? program.rundown.avatar
        guard let folder = Assets.avatarFolder(wanted, nearShow: program.id) ?? (configuration.avatar == nil ? Assets.avatarFolder("juno") : nil) else {
            throw Problem.noAvatar(wanted)
        }
        avatarFolder = folder

        let report: @Sendable (String, Bool) -> Void = { message, isError in
            if isError { logger.error("\(message)") } else { logger.info("\(message)") }
        }
        let analyticsLog = AnalyticsLog(database: database)
        let analytics = AnalyticsWriter(log: analyticsLog, channel: name, report: report)
        self.analytics = analytics
        // FAQ entries added at the console on earlier nights answer tonight too.
        let added = Dictionary(grouping: try analyticsLog.addedFAQs(), by: \.productSku)
        catalog = Catalog(products: Catalog(merging: preloaded.compactMap(\.catalog)).products.map { p in
            var p = p
            p.faq += (added[p.sku] ?? []).map { Product.FAQ(question: $0.question, answer: $0.answer) }
            return p
        })
        let metrics = ChannelMetrics(channel: name)
        chat = LiveChat(responder: try configuration.responder(catalog), metrics: metrics, onEvent: { analytics.record(viewer: $0) }, onDecision: { d in
            // Blocked messages are logged with the reason, never their text.
            if d.source == .blocked { logger.info("blocked", metadata: ["user": "\(d.user)", "reason": "\(d.detail)"]) }
            analytics.record(decision: d)
        })
        board = Board(channel: name, station: station, chat: chat, metrics: metrics)
        // Database writes go through their writer's task: a locked database never stalls the stream.
        let writer = AirLogWriter(log: air, report: report)
        self.writer = writer
        board.attach(writer)
        board.attach(analytics)
        recorder = try configuration.record.map { folder in
            try Recorder(folder: folder, fps: configuration.options.video.fps, segmentMilliseconds: configuration.segmentMilliseconds, air: writer, report: report)
        }
        if let recorder { board.attach(recorder) }
        try configuration.feedChat(chat, board)
    }

    public enum Problem: Error, CustomStringConvertible {
        case noAvatar(String)
        public var description: String {
            switch self {
            case .noAvatar(let name): "no avatar '\(name)' found"
            }
        }
    }

    /// How the channel ended (nil while it runs).
    public var result: LiveRenderer.Status? { outcome.withLock { $0 } }

    /// Returns once the channel is on air (its first status), or has ended.
    public func onAir() async { await started.wait() }

    /// Back-off before a restart after the `n`th failure in a row: 5 s, doubling, at most 5 min.
    static func backoff(after n: Int) -> Duration { .seconds(min(300, 5 << min(6, max(0, n - 1)))) }

    public func run() async throws {
        let stop = Atomic<Bool>(false)
        let thread = ThreadExecutor(name: "anchor-\(name)")
        defer { thread.close(); started.open() }
        // Graceful shutdown (and cancellation) lets the word finish; the loop sees it at the next frame.
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                var failures = 0
                let began = ContinuousClock.now
                // A trial's channel (--duration) is not started again past its end.
                let limit = configuration.options.duration.map { Duration.milliseconds(Int64($0) * 1000 / Int64(SpeechClip.sampleRate)) }
                while true {
                    do {
                        try await withTaskExecutorPreference(thread) {
                            // After a restart, what is left of a trial's duration.
                            var options = configuration.options
                            if let limit, failures > 0 {
                                let left = limit - (ContinuousClock.now - began)
                                options.duration = Int(left.components.seconds) * SpeechClip.sampleRate
                                    + Int(left.components.attoseconds / 1_000_000_000_000_000 * Int64(SpeechClip.sampleRate) / 1000)
                            }
                            try await air(program: failures == 0 ? program : await resumed(), options: options, stop: { stop.load(ordering: .relaxed) })
                        }
                        return
                    } catch where configuration.restartsAfterFailure && !stop.load(ordering: .relaxed) {
                        failures += 1
                        let wait = Self.backoff(after: failures)
                        if let limit, ContinuousClock.now - began + wait >= limit { throw error }
                        logger.error("channel stopped on an error; starting it again in \(wait.components.seconds) s",
                                     metadata: ["error": "\(error)", "failures": "\(failures)"])
                        started.open()
                        // Shutdown during the wait ends the channel (the sleep is cancelled).
                        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
                        if stop.load(ordering: .relaxed) || Task.isCancelled { return }
                    }
                }
            } onCancel: { stop.store(true, ordering: .relaxed) }
        } onGracefulShutdown: { stop.store(true, ordering: .relaxed) }
    }

    /// Where a restart picks up: the position last saved as it aired.
    private func resumed() async -> Program {
        await writer.flush()
        let saved = (try? air.saved()).flatMap { $0 }.map { (show: $0.show, position: ShowPosition(pass: $0.pass, segment: $0.segment, event: $0.event)) }
        return station.opening(saved: saved).program
    }

    private func air(program: Program, options: LiveRenderer.Options, stop: @escaping @Sendable () -> Bool) async throws {
        let (board, writer, analytics, recorder, chat, logger, name, started) = (board, writer, analytics, recorder, chat, logger, name, started)
        var hooks = LiveRenderer.Hooks()
        hooks.chat = chat
        hooks.control = control
        hooks.willEnterSegment = { [station] in station.willEnterSegment($0, $1, $2) }
        if let recorder {
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
                logger.info("segment", metadata: ["show": "\(marker.program)", "segment": "\(title)", "product": "\(sku ?? "-")"])
                let place = recorder?.place(atStreamSeconds: streamSeconds)
                writer.begin(show: marker.program, segment: title, productSku: sku, file: place?.file, offsetSeconds: place?.offset)
                save(marker)
            case .answer(let d, _):
                logger.info("answered", metadata: ["user": "\(d.user)", "source": "\(d.source.rawValue)", "product": "\(d.productSKU ?? "-")"])
            case .cue:
                break
            case .draw(let o):
                // Decided: a restart goes on after the draw, never draws again.
                save(marker)
                logger.info("lucky draw", metadata: ["keyword": "\(o.keyword)", "entrants": "\(o.entrants.count)", "winner": "\(o.winner?.id ?? "-")",
                                                     "seed": "\(o.seed)"])
                let record = DrawLog.Record(channel: name, show: o.show, keyword: o.keyword, seconds: o.seconds, seed: o.seed,
                                            entrants: o.entrants.map { DrawLog.Entrant(id: $0.id, name: $0.name) },
                                            winner: o.winner.map { DrawLog.Entrant(id: $0.id, name: $0.name) }, drawnAt: Date())
                writer.perform("record the lucky draw") { try await DrawLog(database: $0.database, channel: $0.channel).record(record) }
            }
            board.marker(marker)
            analytics.record(marker: marker)
        }
        hooks.onThumbnail = { board.thumbnail($0) }
        hooks.metrics = board.metrics

        let targets = configuration.targets
        logger.info("on air", metadata: ["push": "\(targets.isEmpty ? "-" : targets.map(\.description).joined(separator: ", "))",
                                         "record": "\(configuration.record ?? "-")"])
        var reportedProblems: Set<String> = []
        let final: LiveRenderer.Status
        do {
            final = try await LiveRenderer(program: program, avatarFolder: avatarFolder).run(
                to: targets, options: options, group: MultiThreadedEventLoopGroup.singleton, hooks: hooks,
                status: { s in
                    board.update(s)
                    analytics.record(status: s)
                    for problem in s.problems where reportedProblems.insert(problem).inserted {
                        logger.warning("cannot play a clip or music; the show goes on without it", metadata: ["problem": "\(problem)"])
                    }
                    started.open()
                    for m in chat.takeUnanswered() {
                        let (sku, language) = (s.productSKU, ChatText(m.text).language.rawValue)
                        analytics.record(unanswered: m, language: language)
                        board.noteUnanswered(m.text, productSku: sku, language: language)
                        writer.perform("keep an unanswered question") {
                            try await UnansweredLog(database: $0.database).record(user: m.user, text: m.text, language: language, productSku: sku)
                        }
                    }
                },
                shouldStop: stop)
        } catch {
            board.fail(String(describing: error))
            await closeUp()
            throw error
        }
        outcome.withLock { $0 = final }
        board.end()
        await closeUp()
        logger.info("off air", metadata: ["seconds": "\(Int(final.mediaSeconds))", "frames": "\(final.framesSent)", "skipped": "\(final.framesSkipped)"])
    }

    /// The recording closed, every write on disk, the replay index beside the recordings.
    private func closeUp() async {
        recorder?.finish()
        writer.end()
        await writer.flush()
        await analytics.flush()
        if let record = configuration.record {
            try? ReplayExport.write(air: air, to: (record as NSString).appendingPathComponent("index.json"))
        }
    }
}
