import AnchorChat
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
        Twitch chat is IRC: read a channel anonymously, or as your bot with an OAuth token in \
        $ANCHOR_IRC_TOKEN (or --token-file); the token is never printed. Messages, cheers (bits, \
        as paid messages) and subscriptions (as gifts) come out as JSON lines, the connection's \
        state on stderr. A dropped connection is retried with backoff (0.5 s doubling to 30 s).

          anchor connect --irc ircs://irc.chat.twitch.tv/#yourchannel
          anchor connect --irc irc://127.0.0.1:6667/#night --duration 60s

        On air, give the same URL to 'anchor live' or 'anchor run' with --irc.
        """
    )

    @Option(help: ArgumentHelp("The chat to read: irc://HOST[:PORT]/#CHANNEL or ircs://… (TLS).", valueName: "url"))
    var irc: String

    @Option(name: .customLong("token-file"), help: ArgumentHelp("A file holding the OAuth token (default: $ANCHOR_IRC_TOKEN; none: read anonymously).", valueName: "path"))
    var tokenFile: String?

    @Option(help: "Stop after this long: 30s, 5m (default: until Ctrl-C).")
    var duration: String?

    func run() async throws {
        let endpoint: IRCEndpoint
        do { endpoint = try IRCEndpoint(irc) } catch {
            throw ValidationError("--irc: \(error)")
        }
        let seconds = try duration.map { text -> Double in
            guard let ms = Parse.milliseconds(text), ms > 0 else { throw ValidationError("--duration: '\(text)' is not a duration like 30s or 5m") }
            return Double(ms) / 1000
        }
        let connector = try IRCConnector(endpoint: endpoint, token: try IRCOptions.token(file: tokenFile))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        Terminal.error("reading \(endpoint) (\(connector.endpoint.platform))")
        let task = Task {
            await connector.run(onEvent: { e in
                // Written whole, unbuffered: a pipe reader sees each event as it comes.
                guard let data = try? encoder.encode(e) else { return }
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            }, onState: { Terminal.error("\(endpoint): \($0)") })
        }
        let stop = Interrupt.install()
        let started = Date()
        while !stop.isSet, seconds.map({ Date().timeIntervalSince(started) < $0 }) ?? true {
            try await Task.sleep(for: .milliseconds(100))
        }
        task.cancel()
        Terminal.error("\(connector.events) events in \(connector.sessions) sessions")
    }
}

/// The IRC token: a file, else $ANCHOR_IRC_TOKEN, else none (anonymous).
enum IRCOptions {
    static func token(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("--token-file: cannot read '\(file)'") }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return token.isEmpty ? nil : token
        }
        return environment["ANCHOR_IRC_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
