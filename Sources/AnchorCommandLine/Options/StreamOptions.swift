import AnchorChat
import AnchorConnect
import AnchorEngine
import AnchorMedia
import AnchorStream
import ArgumentParser
import Foundation

/// What `live` and `run` share: where to push, the picture, and chat input.
public struct StreamOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .customLong("push"), help: "Ingest URL: rtmp://HOST[:PORT]/APP/KEY, rtmps://…, or a WebRTC (WHIP) endpoint whip+https://HOST/PATH (repeat for several; one render feeds all). A URL on the command line shows its key in 'ps': prefer --push-file or $ANCHOR_PUSH.")
    public var pushes: [String] = []

    @Option(name: .customLong("push-token"), help: ArgumentHelp("The Bearer token for whip+ destinations (or $ANCHOR_WHIP_TOKEN, which keeps it out of 'ps'). Never logged.", valueName: "token"))
    public var pushToken: String?

    @Option(name: .customLong("push-file"), help: ArgumentHelp("Read ingest URLs from a file, one a line ('#' starts a comment); keeps the stream key out of 'ps'.", valueName: "file"))
    public var pushFile: String?

    /// Every ingest URL: --push, --push-file, then $ANCHOR_PUSH (whitespace-separated).
    public func pushTexts(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [String] {
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

    @OptionGroup public var picture: PictureOptions
    public var size: String { picture.size }
    public var fps: Int { picture.fps }

    @Option(help: "x264 preset. superfast keeps a 720p30 channel under a quarter of a core; on a presenter over a still background it looks the same as veryfast at live bit rates (SSIM 0.99987 vs 0.99986).")
    public var preset = "superfast"

    @Option(help: "A PEM file of certificates to trust for rtmps:// besides the system's (a private ingest).")
    public var tlsCA: String?

    @Option(help: "Answer chat on air: a JSON-lines log ({\"t\", \"user\", \"text\"}) replayed in real time, or - for lines typed on stdin. Answers cut in at the next word boundary.")
    public var chat: String?

    @Option(help: ArgumentHelp("Viewer events on air: a JSON-lines log ({\"t\", \"type\": \"gift\"|\"like\"|\"follow\"|\"share\"|\"join\"|\"paid_message\"|\"message\", \"user\", …}) replayed in real time, or - for JSON lines on stdin. Gifts and follows are thanked, paid messages read out.", valueName: "file"))
    public var events: String?

    @Option(name: .customLong("connect"), help: ArgumentHelp("Read a platform's chat on air (repeat for several): twitch:CHANNEL, youtube:VIDEO_ID, bilibili:ROOM, irc[s]://HOST/#CHANNEL, or the room's web address. Secrets from $ANCHOR_IRC_TOKEN, $ANCHOR_YOUTUBE_KEY / $ANCHOR_YOUTUBE_TOKEN. Each reconnects on its own; check one first with 'anchor connect'.", valueName: "source"))
    public var connects: [String] = []

    @Option(help: .hidden)
    public var irc: String?

    @Option(help: ArgumentHelp("Audio codec: aac (128 kb/s, classic RTMP) or opus (64 kb/s, Enhanced RTMP: the ingest must read it — YouTube, SRS ≥ 6, MediaMTX, FFmpeg ≥ 6.1; nginx-rtmp does not).", valueName: "codec"))
    public var audio: AudioEncoder.Codec = .aac

    @Option(help: ArgumentHelp("Video codec for rtmp:// destinations: h264, or hevc (H.265 as Enhanced RTMP: the ingest must read it — YouTube, SRS ≥ 6, MediaMTX, FFmpeg ≥ 6.1; costs several times x264's CPU). WebRTC destinations stay H.264.", valueName: "codec"))
    public var codec: VideoCodec = .h264

    @Option(help: "Chat rules: a *.rules.yaml file or a folder (default: Scripts/).")
    public var rules: String?

    @Option(help: "A block list: one word or phrase a line, matched after normalization; blocked messages are never answered or shown.")
    public var blocklist: String?

    /// Where to push; a bad address is a clear error and exit 1.
    public func targets(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [PushTarget] {
        let token = pushToken ?? environment["ANCHOR_WHIP_TOKEN"]
        var targets: [PushTarget] = []
        for text in try pushTexts(environment: environment) {
            do { targets.append(try PushTarget(text, whipToken: token)) } catch {
                Terminal.error("error: \(error)")
                throw ExitCode(1)
            }
        }
        return targets
    }

    /// Live options for a size already validated, with `duration` in samples.
    public func liveOptions(width: Int, height: Int, duration: Int?) throws -> LiveRenderer.Options {
        let video = picture.video(width: width, height: height, preset: preset)
        var options = LiveRenderer.Options(video: video)
        options.duration = duration
        options.audioCodec = audio
        options.videoCodec = codec
        if let tlsCA {
            guard FileManager.default.isReadableFile(atPath: tlsCA) else { throw ValidationError("--tls-ca: cannot read '\(tlsCA)'") }
            options.trustedCA = tlsCA
        }
        return options
    }

    /// Starts feeding `--chat` and `--events` into `live` (a file is checked first: a bad line is exit 1).
    public func feedChat(into live: LiveChat) throws { try ChatFeedOptions(self).start(into: live) }

    /// Chat or events come in on the command line.
    public var hasChatInput: Bool { chat != nil || events != nil || irc != nil || !connects.isEmpty }

    /// The `--connect` sources (and the older `--irc URL`); a bad one is a usage error.
    public func connectorSpecs() throws -> [ConnectorSpec] {
        try (connects + (irc.map { [$0] } ?? [])).map { text in
            do { return try ConnectorSpec(text) } catch { throw ValidationError("--connect: \(error)") }
        }
    }
}
