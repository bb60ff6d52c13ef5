import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorConnect
import ArgumentParser
import Foundation

/// `anchor connect`: reads a platform's chat and prints the events anchor would get, so a
/// seller can check a connector before air.
struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Read a platform's chat and print the viewer events anchor makes of it (check a connector before air).",
        discussion: """
        Events come out on stdout as JSON lines (the events-log format: replay them with \
        'anchor live --events' or 'anchor preview --events'), the connection's state on stderr. \
        A dropped connection is retried with backoff (0.5 s doubling to 30 s); a refused login or \
        a spent quota waits minutes, not seconds.

          anchor connect twitch:yourchannel
          anchor connect --platform youtube --channel VIDEO_ID --every 45s
          anchor connect https://live.bilibili.com/21452505 --duration 60s
          anchor connect irc://127.0.0.1:6667/#night

        Twitch: read anonymously, or as your bot with an OAuth token ($ANCHOR_IRC_TOKEN or \
        --token-file); cheers become paid messages, subscriptions gifts. YouTube: the Data API \
        with an API key ($ANCHOR_YOUTUBE_KEY or --key-file) or an OAuth token \
        ($ANCHOR_YOUTUBE_TOKEN or --token-file); Super Chats and Stickers become paid messages, \
        memberships gifts; each poll costs 5 of the 10 000 daily quota units, so polls are at \
        least --every apart. Bilibili: the room's danmaku, gifts, guards, super chats, follows, \
        likes. Secrets are never printed.

        On air, give the same source to 'anchor live' or 'anchor run' with --connect, or list it \
        under 'chat:' in the schedule.
        """
    )

    @Argument(help: ArgumentHelp("The chat: twitch:CHANNEL, youtube:VIDEO_ID, bilibili:ROOM, irc[s]://HOST[:PORT]/#CHANNEL, or the room's web address.", valueName: "source"))
    var source: String?

    @Option(help: ArgumentHelp("The platform, with --channel instead of a source: \(ConnectorSpec.Platform.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var platform: String?

    @Option(help: ArgumentHelp("The channel, video id or room on --platform.", valueName: "name"))
    var channel: String?

    @Option(help: ArgumentHelp("Another server: a YouTube API base or Bilibili room API (http[s]://), a Bilibili danmaku server (ws[s]://), an IRC server for a Twitch channel (irc[s]://). For tests and proxies.", valueName: "url"))
    var server: String?

    @Option(help: .hidden)
    var irc: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("A file holding the OAuth token: Twitch/IRC (default $ANCHOR_IRC_TOKEN) or YouTube (default $ANCHOR_YOUTUBE_TOKEN).", valueName: "path"))
    var tokenFile: String?

    @Option(name: .customLong("key-file"), help: ArgumentHelp("A file holding the YouTube API key (default: $ANCHOR_YOUTUBE_KEY).", valueName: "path"))
    var keyFile: String?

    @Option(help: "YouTube: poll no more often than this (default 5s; 45s keeps 24 hours in the default quota).")
    var every: String?

    @Option(help: "Stop after this long: 30s, 5m (default: until Ctrl-C).")
    var duration: String?

    /// Printing is what this command does; the flag is taken for scripts that say so.
    @Flag(help: .hidden)
    var print = false

    func spec() throws -> ConnectorSpec {
        let every = try self.every.map { text -> Double in
            guard let ms = Parse.milliseconds(text), ms >= 1_000 else { throw ValidationError("--every: '\(text)' is not a duration of at least 1s") }
            return Double(ms) / 1000
        }
        do {
            switch (source ?? irc, platform, channel) {
            case (let text?, nil, nil):
                var spec = try ConnectorSpec(text, server: server)
                spec.every = every
                return spec
            case (nil, let p?, let c?):
                guard let platform = ConnectorSpec.Platform(rawValue: p.lowercased()) else {
                    throw ValidationError("--platform: '\(p)' is not one of \(ConnectorSpec.Platform.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return try ConnectorSpec(platform: platform, channel: c, server: server, every: every)
            case (nil, _, _):
                throw ValidationError("name a source (e.g. twitch:yourchannel) or --platform and --channel")
            default:
                throw ValidationError("give a source or --platform and --channel, not both")
            }
        } catch let e as ConnectorSpec.ParseError {
            throw ValidationError(e.description)
        }
    }

    func run() async throws {
        let spec = try spec()
        var credentials = ConnectorCredentials.environment()
        if let token = try SecretFile.read(tokenFile, option: "--token-file") {
            if spec.platform == .youtube { credentials.youtubeToken = token } else { credentials.ircToken = token }
        }
        if let key = try SecretFile.read(keyFile, option: "--key-file") { credentials.youtubeKey = key }
        let seconds = try duration.map { text -> Double in
            guard let ms = Parse.milliseconds(text), ms > 0 else { throw ValidationError("--duration: '\(text)' is not a duration like 30s or 5m") }
            return Double(ms) / 1000
        }
        let connector = try Connectors.make(spec, credentials: credentials)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        Terminal.error("reading \(connector) (\(connector.platform.platform))")
        let task = Task {
            await connector.run(onEvent: { e in
                // Written whole, unbuffered: a pipe reader sees each event as it comes.
                guard let data = try? encoder.encode(e) else { return }
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            }, onState: { Terminal.error("\(connector): \($0)") })
        }
        // Until Ctrl-C, SIGTERM or the duration, whichever comes first.
        await withTaskGroup(of: Void.self) { until in
            until.addTask { await Interrupt.signalled() }
            if let seconds { until.addTask { try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000))) } }
            await until.next()
            until.cancelAll()
        }
        task.cancel()
        Terminal.error("\(connector.events) events in \(connector.sessions) sessions")
    }
}

/// A secret kept in a file (a token, an API key): its first line, trimmed; nil without a file.
enum SecretFile {
    static func read(_ path: String?, option: String) throws -> String? {
        guard let path else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("\(option): cannot read '\(path)'") }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return secret.isEmpty ? nil : secret
    }
}
