@testable import AnchorStream
import Foundation
import Hummingbird
import Logging
import NIOPosix
import Synchronization
import Testing

/// The HTTP half of WHIP against a Hummingbird endpoint in the test: what each answer means
/// for the sender, and whether it retries.
@Suite struct WHIPClientTests {
    final class Seen: Sendable {
        let deletes = Mutex<[String]>([])
        let authorizations = Mutex<[String]>([])
        let contentTypes = Mutex<[String]>([])
    }

    func withEndpoint(_ body: (Int, Seen) async throws -> Void) async throws {
        let seen = Seen()
        let router = Router()
        router.post("whip/ok") { request, _ -> Response in
            seen.authorizations.withLock { $0.append(request.headers[.authorization] ?? "") }
            seen.contentTypes.withLock { $0.append(request.headers[.contentType] ?? "") }
            guard request.headers[.authorization] == "Bearer t0ken" else { return Response(status: .unauthorized) }
            var headers = HTTPFields()
            headers[.location] = "../session/7"
            headers[.contentType] = "application/sdp"
            headers[.init("Link")!] = #"<stun:stun.example.net:3478>; rel="ice-server""#
            return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "v=0\r\n")))
        }
        router.post("whip/auth") { _, _ in Response(status: .forbidden) }
        router.post("whip/type") { _, _ in Response(status: .unsupportedMediaType) }
        router.post("whip/busy") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.retryAfter] = "2"
            return Response(status: .serviceUnavailable, headers: headers)
        }
        router.delete("session/7") { request, _ -> HTTPResponse.Status in
            seen.deletes.withLock { $0.append(request.headers[.authorization] ?? "") }
            return .ok
        }
        let port = Mutex(0)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port ?? 0 } },
                              logger: Logger(label: "whip-test") { _ in SwiftLogNoOpLogHandler() })
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        // Generous: at the start of the whole suite, on two busy cores, the server took 30 s once.
        let deadline = ContinuousClock.now + .seconds(90)
        while port.withLock({ $0 }) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let bound = port.withLock { $0 }
        try #require(bound != 0, "the Hummingbird endpoint did not start")
        try await body(bound, seen)
    }

    func client(_ port: Int, _ path: String, token: String? = "t0ken") throws -> WHIPClient {
        WHIPClient(endpoint: try WHIPEndpoint("whip+http://127.0.0.1:\(port)/\(path)", token: token), http: try HTTPFetch())
    }

    @Test func createdGivesTheAnswerAndARelativeLocationThatIsDeleted() async throws {
        try await withEndpoint { port, seen in
            let c = try client(port, "whip/ok")
            let session = try await c.publish(offer: "v=0\r\n")
            #expect(session.answer == "v=0\r\n")
            #expect(session.resource?.absoluteString == "http://127.0.0.1:\(port)/session/7", "resolved against the endpoint")
            #expect(session.iceServers == ["stun:stun.example.net:3478"])
            #expect(seen.contentTypes.withLock { $0 } == ["application/sdp"] && seen.authorizations.withLock { $0 } == ["Bearer t0ken"])
            #expect(await c.delete(try #require(session.resource)) == 200)
            #expect(seen.deletes.withLock { $0 } == ["Bearer t0ken"], "DELETE carries the token too")
        }
    }

    @Test func refusalsArePermanentAndOverloadWaitsAsAsked() async throws {
        try await withEndpoint { port, _ in
            for (path, token, permanent, says) in [("whip/ok", nil as String?, true, "refused the token (401)"),
                                                   ("whip/auth", "t0ken", true, "refused the token (403)"),
                                                   ("whip/type", "t0ken", true, "refused the offer (415)"),
                                                   ("whip/nothing", "t0ken", true, "no WHIP endpoint"),
                                                   ("whip/busy", "t0ken", false, "unavailable (503)")] {
                let c = try client(port, path, token: token)
                do throws(PublishError) {
                    _ = try await c.publish(offer: "v=0\r\n")
                    Issue.record("\(path) did not fail")
                } catch {
                    #expect(error.isPermanent == permanent, "\(path): \(error)")
                    #expect(error.description.contains(says), "\(path): \(error)")
                    #expect(!error.description.contains("t0ken"))
                    if path == "whip/busy" { #expect(error.retryAfter == 2) }
                }
            }
        }
    }

    @Test func anEndpointThatIsNotThereIsUnreachableAndRetried() async throws {
        let c = try client(try TestPorts.closed(), "whip/ok")
        do {
            _ = try await c.publish(offer: "v=0\r\n")
            Issue.record("no failure")
        } catch {
            #expect(!error.isPermanent && error.description.contains("cannot reach the WHIP endpoint"), "\(error)")
        }
    }
}

enum TestPorts {
    /// A loopback TCP port nobody listens on.
    static func closed() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress?.port ?? 1
        try channel.close().wait()
        return port
    }
}
