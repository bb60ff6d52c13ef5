import AnchorAvatar
import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorMedia
import AnchorStream
import ArgumentParser
import Foundation
import NIOPosix

struct Live: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a show in real time and push it as a live stream (RTMP/RTMPS, WebRTC over WHIP) to one or more ingests.",
        discussion: """
        Each --push destination has its own queue and reconnects on its own (0.5 s backoff \
        doubling to 30 s, with jitter); the show keeps time whatever the network does. Stream \
        keys and query tokens are never printed. Ctrl-C or SIGTERM end the stream cleanly \
        (FCUnpublish, deleteStream; a WHIP session is closed and DELETEd).

        A whip+https:// destination publishes over WebRTC (RFC 9725): H.264 constrained \
        baseline + Opus, DTLS-SRTP, NACK retransmission, keyframes on PLI. With RTMP \
        destinations too, the picture is drawn once and encoded twice.

        Exit codes: 0 every destination published; 1 the show or a URL has errors; 2 a \
        destination was refused or never reached; 64 a bad command line.

        Examples:
          anchor live Scripts/demo.show.md --push rtmp://127.0.0.1/live/test
          anchor live Scripts/overnight.show.md --push "$INGEST_1" --push "$INGEST_2" --size 720x1280
          anchor live Scripts/demo.show.md --push rtmps://live.example.com:443/app/KEY --duration 10m
          anchor live Scripts/overnight.show.md --push rtmp://127.0.0.1/live/test --chat -
          ANCHOR_WHIP_TOKEN=… anchor live Scripts/demo.show.md --push whip+https://ingest.example.com/whip/room1
        """
    )

    @Argument(help: "The show.")
    var show: String

    @Option(help: "Stop after this long (90s, 10m, 1h); default: the show once, a looping show for 24 h.")
    var duration: String?

    @Option(help: "Seed for variants, particles and blinks.")
    var seed: UInt64?

    @Option(help: "Background: studio, green, #RRGGBB or an image file.")
    var background: String?

    @Option(help: "Avatar folder name in Models/ (default: the show's).")
    var avatar: String?

    @OptionGroup var stream: StreamOptions

    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        FileLimit.raise()
        let started = ContinuousClock.now
        guard try !stream.pushTexts().isEmpty else { throw ValidationError("give at least one --push rtmp://HOST/APP/KEY (or --push-file, or $ANCHOR_PUSH)") }
        let (w, h, samples) = try RenderOptions.validate(size: stream.size, fps: stream.fps, duration: duration)
        let targets = try stream.targets()
        let loaded = try ShowLoader(path: show, catalogOptions: catalogOptions, seed: seed).load()
        let (folder, bg) = try loaded.stage(showPath: show, avatar: avatar, background: background)
        var options = try stream.liveOptions(width: w, height: h, duration: samples)
        options.background = bg

        var hooks = LiveRenderer.Hooks()
        var chat: LiveChat?
        if stream.hasChatInput {
            let live = LiveChat(responder: try ChatOptions.responder(catalog: loaded.catalog ?? Catalog(), rules: stream.rules, blocklist: stream.blocklist))
            try stream.feedChat(into: live)
            try Connectors.start(try stream.connectorSpecs(), into: live) { Terminal.error($0) }
            hooks.chat = live
            chat = live
        }
        let stop = await Interrupt.install()
        let line = StatusLine(isTerminal: Terminal.isTTY(STDERR_FILENO))
        let group = MultiThreadedEventLoopGroup.singleton
        Terminal.error("going live: \(loaded.rundown.title) → " + targets.map(\.description).joined(separator: ", "))
        let final: LiveRenderer.Status
        do {
            final = try await LiveRenderer(rundown: loaded.rundown, catalog: loaded.catalog, avatarFolder: folder)
                .run(to: targets, options: options, group: group, hooks: hooks, status: { line.update($0) }, shouldStop: { stop.isSet })
        } catch {
            line.finish()
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
        line.finish()
        print(String(format: "live for %@ (%.1f s of show), %d frames sent, %d skipped to keep time%@", ProgressBar.clock(final.elapsed),
                     final.mediaSeconds, final.framesSent, final.framesSkipped, final.interrupted ? "; stopped by signal" : ""))
        if let c = chat?.stats {
            let l = c.latencies.sorted()
            let p50 = l.isEmpty ? "–" : String(format: "%.2f s", l[l.count / 2]), worst = l.last.map { String(format: "%.2f s", $0) } ?? "–"
            print("chat: \(c.received) messages, \(c.answered) answers on air (question to answer in the stream: median \(p50), worst \(worst)), "
                  + "\(c.blocked) blocked, \(c.silent) silent, \(c.shed) shed, \(final.answersMerged) merged into another answer")
            if !c.events.isEmpty {
                let t = c.thanksLatencies.sorted()
                let p50 = t.isEmpty ? "–" : String(format: "%.2f s", t[t.count / 2]), p95 = t.isEmpty ? "–" : String(format: "%.2f s", t[min(t.count - 1, t.count * 95 / 100)])
                print("events: " + c.events.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                      + String(format: " (%d likes, gifts worth %.0f); %d thanks and paid messages on air (event to thanks in the stream: median %@, p95 %@)",
                               c.likes, c.giftValue, c.thanksSpoken, p50, p95))
            }
        }
        var allPublished = true
        for d in final.destinations {
            let first = d.firstSentAt.map { String(format: ", first frame %.2f s after start", ($0 - started).inSeconds) } ?? ""
            print(String(format: "  %@: %d sessions, %d reconnects, %d video + %d audio frames, %.1f MB%@, dropped %d video / %d audio",
                         d.url, d.sessions, d.reconnects, d.sentVideo, d.sentAudio, Double(d.bytes) / 1e6, first,
                         d.queue.droppedVideo, d.queue.droppedAudio))
            for (why, count) in d.errors.sorted(by: { $0.value > $1.value }) { print("    \(count)× \(why)") }
            if let rtc = d.webrtc { print("    " + rtc.summary) }
            if d.sessionStarts.count > 1 {
                print("    sessions began at stream time " + d.sessionStarts.map { String(format: "%.3f s", Double($0) / 1000) }.joined(separator: ", "))
            } else if let start = d.sessionStarts.first {
                print(String(format: "    session began at stream time %.3f s", Double(start) / 1000))
            }
            if d.sessions == 0 {
                allPublished = false
                print("    never published: \(d.lastError ?? "no answer")")
            }
            if case .failed(let why) = d.state { allPublished = false; print("    refused: \(why)") }
        }
        if !allPublished { throw ExitCode(2) }
    }
}
