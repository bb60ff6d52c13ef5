import AnchorChat
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A chat channel over IRC (Twitch chat, or any IRC server): connects, logs in (anonymously
/// unless a token is given), joins, answers the server's PINGs and turns lines into viewer
/// events. Run it in a `Connector`, which reconnects.
public struct IRCChat: ChatPlatform {
    public let endpoint: IRCEndpoint
    private let token: String?
    private let group: EventLoopGroup
    private let tls: NIOSSLContext?

    public init(endpoint: IRCEndpoint, token: String?, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.endpoint = endpoint
        self.token = token
        self.group = group
        tls = endpoint.tls ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
    }

    public var platform: String { endpoint.platform }
    public var description: String { endpoint.description }

    public func session(emit: @escaping @Sendable (ViewerEvent) -> Void, connected: @escaping @Sendable () -> Void) async throws {
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
                case "JOIN" where m.nick?.lowercased() == nick.lowercased(): connected()
                case "432", "433": throw ConnectorFailure("the nick \(nick) was refused: \(m.params.last ?? m.command)")
                case "464", "465": throw ConnectorFailure("login refused (\(m.params.last ?? m.command)); check the token", retryAfter: 300)
                case "471", "473", "474", "475", "403": throw ConnectorFailure("cannot join \(endpoint.channel): \(m.params.last ?? m.command)", retryAfter: 60)
                case "NOTICE" where (m.params.last ?? "").contains("Login authentication failed"):
                    throw ConnectorFailure("login refused; check the token", retryAfter: 300)
                case "ERROR": throw ConnectorFailure("server error: \(m.params.last ?? "")")
                default:
                    if let e = ChatEventMapper.event(m, channel: endpoint.channel, platform: endpoint.platform, now: Date().timeIntervalSince1970) {
                        emit(e)
                    }
                }
            }
        }
    }
}
