import AnchorChat
import AnchorConnect
import AnchorEngine
import AnchorMedia
import AnchorStream
import ArgumentParser
import Foundation

/// What `live` and `run` share: where to push, the picture, and chat input.
struct StreamOptions: ParsableArguments {
    @Option(name: .customLong("push"), help: "Ingest URL: rtmp://HOST[:PORT]/APP/KEY or rtmps://… (repeat for several). A URL on the command line shows its key in 'ps': prefer --push-file or $ANCHOR_PUSH.")
    var pushes: [String] = []

    @Option(name: .customLong("push-file"), help: ArgumentHelp("Read ingest URLs from a file, one a line ('#' starts a comment); keeps the stream key out of 'ps'.", valueName: "file"))
    var pushFile: String?

    /// Every ingest URL: --push, --push-file, then $ANCHOR_PUSH (whitespace-separated).
    func pushTexts(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [String] {
        var all = pushes
        if let pushFile {
            guard let text = try? String(contentsOfFile: pushFile, encoding: .utf8) else {
                throw ValidationError("--push-file: cannot read '\(pushFile)'")
            }
            all += text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        if let env = environment["ANCHOR_PUSH"] {
            all += env.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        }
        return all
    }

    @Option(help: "Frame size, WIDTHxHEIGHT (1280x720 landscape, 720x1280 portrait).")
    var size = "1280x720"

    @Option(help: "Frames per second.")
    var fps = 30

    @Option(help: "Video bit rate in kb/s (constant, one-second VBV buffer).")
    var bitrate = 2_500

    @Option(help: "x264 preset. superfast keeps a 720p30 channel under a quarter of a core; on a presenter over a still background it looks the same as veryfast at live bit rates (SSIM 0.99987 vs 0.99986).")
    var preset = "superfast"

    @Option(help: "A PEM file of certificates to trust for rtmps:// besides the system's (a private ingest).")
    var tlsCA: String?

    @Option(help: "Answer chat on air: a JSON-lines log ({\"t\", \"user\", \"text\"}) replayed in real time, or - for lines typed on stdin. Answers cut in at the next word boundary.")
    var chat: String?

    @Option(help: ArgumentHelp("Viewer events on air: a JSON-lines log ({\"t\", \"type\": \"gift\"|\"like\"|\"follow\"|\"share\"|\"join\"|\"paid_message\"|\"message\", \"user\", …}) replayed in real time, or - for JSON lines on stdin. Gifts and follows are thanked, paid messages read out.", valueName: "file"))
    var events: String?

    @Option(help: ArgumentHelp("Read a platform's chat on air: irc://HOST[:PORT]/#CHANNEL or ircs://… (Twitch: ircs://irc.chat.twitch.tv/#channel; a token from $ANCHOR_IRC_TOKEN). Reconnects on its own; check it first with 'anchor connect'.", valueName: "url"))
    var irc: String?

    @Option(help: "Chat rules: a *.rules.yaml file or a folder (default: Scripts/).")
    var rules: String?

    @Option(help: "A block list: one word or phrase a line, matched after normalization; blocked messages are never answered or shown.")
    var blocklist: String?

    /// The ingest URLs; a bad one is a clear error and exit 1.
    func urls() throws -> [StreamURL] {
        var urls: [StreamURL] = []
        for text in try pushTexts() {
            do { urls.append(try StreamURL(text)) } catch {
                Terminal.error("error: \(error)")
                throw ExitCode(1)
            }
        }
        return urls
    }

    /// Live options for a size already validated, with `duration` in samples.
    func liveOptions(width: Int, height: Int, duration: Int?) throws -> LiveRenderer.Options {
        var video = VideoSettings(width: width, height: height, fps: fps)
        video.bitrateKbps = bitrate
        video.preset = preset
        var options = LiveRenderer.Options(video: video)
        options.duration = duration
        if let tlsCA {
            guard FileManager.default.isReadableFile(atPath: tlsCA) else { throw ValidationError("--tls-ca: cannot read '\(tlsCA)'") }
            options.trustedCA = tlsCA
        }
        return options
    }

    /// Starts feeding `--chat` and `--events` into `live` (a file is checked first: a bad line is exit 1).
    func feedChat(into live: LiveChat) throws {
        if chat == "-", events == "-" { throw ValidationError("--chat and --events cannot both read stdin") }
        if let chat {
            if chat != "-" {
                do { _ = try ChatLogFile(path: chat).readAll() } catch {
                    Terminal.error("error: \(error)")
                    throw ExitCode(1)
                }
            }
            let source: ChatSource = chat == "-" ? StdinChat() : ChatLogFile(path: chat)
            Task { try? await live.feed(source, realTime: chat != "-") }
        }
        if let events {
            if events == "-" {
                Task { try? await live.feed(EventLogFile.stdin { Terminal.error("warning: \($0)") }, realTime: false) }
            } else {
                do { _ = try EventLogFile(path: events).readAll() } catch {
                    Terminal.error("error: \(error)")
                    throw ExitCode(1)
                }
                Task { try? await live.feed(EventLogFile(path: events).events(), realTime: true) }
            }
        }
    }

    /// Chat or events come in on the command line.
    var hasChatInput: Bool { chat != nil || events != nil || irc != nil }

    /// Starts the `--irc` connector into `live`; its state goes to `report` and the status board.
    func connect(into live: LiveChat, board: Board? = nil, report: @escaping @Sendable (String) -> Void) throws {
        guard let irc else { return }
        let endpoint: IRCEndpoint
        do { endpoint = try IRCEndpoint(irc) } catch { throw ValidationError("--irc: \(error)") }
        let connector = try IRCConnector(endpoint: endpoint, token: try IRCOptions.token(file: nil))
        board?.attachConnector(endpoint.description) { "\(connector.state), \(connector.events) events, \(connector.sessions) sessions" }
        Task { await connector.run(onEvent: { live.post($0) }, onState: { report("chat from \(endpoint): \($0)") }) }
    }
}
