import AnchorChat
import AnchorStream
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Reads a chat channel over IRC (Twitch chat, or any IRC server) and turns it into viewer
/// events: connects, logs in (anonymously unless a token is given), joins, answers the
/// server's PINGs, and when the connection drops or fails, connects again with the same
/// backoff as an RTMP destination (0.5 s doubling to 30 s, reset once joined). It never blocks
/// the show: events go to `onEvent` as they come.
public final class IRCConnector: Sendable {
    public enum State: Sendable, Equatable, CustomStringConvertible {
        case connecting
        case joined
        case retrying(in: Double, reason: String)

        public var description: String {
            switch self {
            case .connecting: "connecting"
            case .joined: "joined"
            case .retrying(let s, let why): String(format: "retrying in %.1f s (%@)", s, why)
            }
        }
    }

    public let endpoint: IRCEndpoint
    private let token: String?
    private let group: EventLoopGroup
    private let tls: NIOSSLContext?
    private let current = Mutex<(state: State, sessions: Int, events: Int)>((.connecting, 0, 0))

    public var state: State { current.withLock { $0.state } }
    /// Connections that got as far as joining, and events read.
    public var sessions: Int { current.withLock { $0.sessions } }
    public var events: Int { current.withLock { $0.events } }

    public init(endpoint: IRCEndpoint, token: String?, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.endpoint = endpoint
        self.token = token
        self.group = group
        tls = endpoint.tls ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
    }

    /// Reads until the task is cancelled. `onState` hears every change (for the log and status).
    public func run(onEvent: @escaping @Sendable (ViewerEvent) -> Void, onState: @escaping @Sendable (State) -> Void = { _ in }) async {
        var backoff = Backoff()
        while !Task.isCancelled {
            set(.connecting, onState)
            let reason: String
            do {
                try await session(onEvent: onEvent) { [self] in
                    current.withLock { $0.sessions += 1 }
                    backoff.reset()
                    set(.joined, onState)
                }
                reason = "the server closed the connection"
            } catch {
                reason = Self.describe(error)
            }
            if Task.isCancelled { return }
            let delay = backoff.next()
            set(.retrying(in: delay, reason: reason), onState)
            try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
        }
    }

    private func set(_ s: State, _ onState: @Sendable (State) -> Void) {
        current.withLock { $0.state = s }
        onState(s)
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private func session(onEvent: @escaping @Sendable (ViewerEvent) -> Void, joined: () -> Void) async throws {
        let host = endpoint.host, tls = self.tls
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let isIP = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: isIP ? nil : host))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(IRCLineDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            func send(_ line: String) async throws { try await outbound.write(ByteBuffer(string: line + "\r\n")) }
            // Anonymous reading is Twitch's justinfan login; other servers take any free nick
            // (nine characters at most: RFC 1459's limit, which servers such as ngIRCd keep).
            let nick = endpoint.nick ?? (endpoint.isTwitch ? "justinfan" + String(Int.random(in: 10_000...99_999)) : "anchor" + String(Int.random(in: 100...999)))
            if endpoint.isTwitch { try await send("CAP REQ :twitch.tv/tags twitch.tv/commands") }
            if let token { try await send("PASS " + (token.hasPrefix("oauth:") || !endpoint.isTwitch ? token : "oauth:" + token)) }
            try await send("NICK \(nick)")
            try await send("USER \(nick) 0 * :anchor")
            for try await buffer in inbound {
                guard let m = IRCMessage(line: Substring(String(buffer: buffer))) else { continue }
                switch m.command {
                case "PING": try await send("PONG :" + (m.params.last ?? ""))
                case "001": try await send("JOIN \(endpoint.channel)")
                case "JOIN" where m.nick?.lowercased() == nick.lowercased(): joined()
                case "432", "433": throw Failure(description: "the nick \(nick) was refused: \(m.params.last ?? m.command)")
                case "464", "465": throw Failure(description: "login refused (\(m.params.last ?? m.command)); check the token")
                case "471", "473", "474", "475", "403": throw Failure(description: "cannot join \(endpoint.channel): \(m.params.last ?? m.command)")
                case "NOTICE" where (m.params.last ?? "").contains("Login authentication failed"):
                    throw Failure(description: "login refused; check the token")
                case "ERROR": throw Failure(description: "server error: \(m.params.last ?? "")")
                default:
                    if let e = ChatEventMapper.event(m, channel: endpoint.channel, platform: endpoint.platform, now: Date().timeIntervalSince1970) {
                        current.withLock { $0.events += 1 }
                        onEvent(e)
                    }
                }
            }
        }
    }

    static func describe(_ error: Error) -> String {
        if let f = error as? Failure { return f.description }
        if let e = (error as? NIOConnectionError)?.connectionErrors.first?.error as? IOError ?? error as? IOError {
            return "cannot connect: " + String(cString: strerror(e.errnoCode)).lowercased()
        }
        if error is NIOConnectionError { return "cannot connect" }
        if error is ChannelError { return "connection failed: \(error)" }
        return "\(error)"
    }
}

/// Splits the byte stream into lines (LF or CR LF), at most 8 KiB each (longer ones are cut
/// off, so a server cannot make us hold unbounded memory).
struct IRCLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    static let maxLine = 8_192

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLine { buffer.moveReaderIndex(forwardBy: buffer.readableBytes) }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var line = buffer.readSlice(length: min(length, Self.maxLine))!
        buffer.moveReaderIndex(to: newline + 1)
        if line.readableBytesView.last == UInt8(ascii: "\r") { line = line.getSlice(at: line.readerIndex, length: line.readableBytes - 1)! }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }
}
