import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 or HTTPS request on NIO, one request per connection: what a chat connector
/// polling a REST API and a WHIP publisher (POST an offer, DELETE at the end) need, without a
/// pooled client in the graph.
/// Bodies are capped (a server cannot make us hold unbounded memory) and the whole exchange
/// has a deadline.
public struct HTTPFetch: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data

        public init(status: Int, headers: [(String, String)], body: Data) {
            self.status = status; self.headers = headers; self.body = body
        }

        public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    public var timeout: Duration = .seconds(15)
    public var maxBody = 8 << 20
    private let group: EventLoopGroup
    private let tls: NIOSSLContext

    /// Why a request got no answer (a status, even 500, is an answer).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    public init(group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton, trustedCA: String? = nil) throws {
        self.group = group
        tls = try NIOSSLContext.client(trusting: trustedCA)
    }

    /// GETs `url` (http or https) with `headers`; any status comes back, only transport
    /// failures throw.
    public func get(_ url: URL, headers: [(String, String)] = []) async throws -> Response {
        try await send(.GET, url, headers: [("Accept", "application/json")] + headers)
    }

    /// Sends one request; any status comes back, only transport failures throw.
    public func send(_ method: HTTPMethod, _ url: URL, headers: [(String, String)] = [], body: Data? = nil) async throws -> Response {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else {
            throw Failure("not an http(s) URL: \(Self.redacted(url))")
        }
        let secure = scheme == "https"
        let port = url.port ?? (secure ? 443 : 80)
        let target = (url.path.isEmpty ? "/" : url.path) + (url.query.map { "?" + $0 } ?? "")
        return try await withThrowingTaskGroup(of: Response.self) { tasks in
            tasks.addTask { try await exchange(method, host: host, port: port, secure: secure, target: target, headers: headers, body: body) }
            tasks.addTask { [timeout] in
                try await Task.sleep(for: timeout)
                throw Failure("no answer from \(host) in \(timeout.components.seconds) s")
            }
            defer { tasks.cancelAll() }
            return try await tasks.next()!
        }
    }

    private func exchange(_ method: HTTPMethod, host: String, port: Int, secure: Bool, target: String, headers: [(String, String)],
                          body: Data?) async throws -> Response {
        let tls = secure ? self.tls : nil
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let isIP = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: isIP ? nil : host))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: target)
            let defaultPort = (secure ? 443 : 80) == port
            head.headers.add(name: "Host", value: defaultPort ? host : "\(host):\(port)")
            head.headers.add(name: "User-Agent", value: "anchor")
            head.headers.add(name: "Connection", value: "close")
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            if let body { head.headers.add(name: "Content-Length", value: String(body.count)) }
            var parts: [HTTPClientRequestPart] = [.head(head)]
            if let body, !body.isEmpty { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            parts.append(.end(nil))
            // One write: a server that answers and closes as soon as it has read the head (we said
            // `Connection: close`) could otherwise close the channel under a second write, and the
            // answer already on its way would be lost to "I/O on closed channel".
            do { try await outbound.write(contentsOf: parts) } catch ChannelError.ioOnClosedChannel {
                // The answer, if one came, is still read below.
            }
            var response = Response(status: 0, headers: [], body: Data())
            for try await part in inbound {
                switch part {
                case .head(let h):
                    response.status = Int(h.status.code)
                    response.headers = h.headers.map { ($0.name, $0.value) }
                case .body(var chunk):
                    guard response.body.count + chunk.readableBytes <= maxBody else {
                        throw Failure("\(host) sent more than \(maxBody >> 20) MiB")
                    }
                    response.body.append(contentsOf: chunk.readBytes(length: chunk.readableBytes) ?? [])
                case .end:
                    return response
                }
            }
            throw Failure("\(host) closed the connection mid-answer")
        }
    }

    /// The URL without its query (where API keys and tokens go), for errors and logs.
    public static func redacted(_ url: URL) -> String {
        var c = URLComponents(url: url, resolvingAgainstBaseURL: false)
        if c?.query != nil { c?.query = "…" }
        return c?.string ?? "(url)"
    }
}
