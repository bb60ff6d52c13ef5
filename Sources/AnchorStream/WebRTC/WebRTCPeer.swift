import AnchorCore
import AnchorMedia
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Our `WebRTCTransport`: ICE (we are the controlling agent and nominate the first pair that
/// answers), DTLS-SRTP, RTP/RTCP over one UDP socket. All protocol state lives on one event
/// loop (`PeerHandler`); this type is the thread-safe handle the destination holds.
final class WebRTCPeer: WebRTCTransport {
    struct Settings: Sendable {
        var handshakeTimeout: TimeAmount = .seconds(10)
        /// No answer to a consent check (RFC 7675) for this long ends the session.
        var consentTimeout: TimeAmount = .seconds(8)
        var consentInterval: TimeAmount = .seconds(2)
        var mtu = 1_200
    }

    let offer: String
    private let description: SessionOffer
    private let channel: Channel
    private let certificate: DTLSCertificate
    private let settings: Settings
    private let parameterSets: [Data]
    private let onKeyframeRequest: @Sendable () -> Void
    private let handler = Mutex<NIOLoopBound<PeerHandler>?>(nil)
    private let statsBox = StatsBox()
    private let outcome: EventLoopPromise<Void>

    /// A fresh certificate and UDP socket (all IPv4 interfaces, a free port), and the offer
    /// naming them.
    init(group: EventLoopGroup, settings: Settings = Settings(), parameterSets: [Data],
         onKeyframeRequest: @escaping @Sendable () -> Void) async throws {
        certificate = try DTLSCertificate()
        channel = try await DatagramBootstrap(group: group.next())
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "0.0.0.0", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        let hosts = (try? System.enumerateDevices().compactMap { device -> String? in
            guard let a = device.address, case .v4 = a, let ip = a.ipAddress else { return nil }
            return ip
        }) ?? []
        // Loopback last: a remote endpoint tries the real interfaces first.
        let candidates = (hosts.filter { $0 != "127.0.0.1" } + ["127.0.0.1"]).map { (host: $0, port: port) }
        description = SessionOffer(iceUfrag: SessionOffer.randomToken(8), icePwd: SessionOffer.randomToken(24), fingerprint: certificate.fingerprint,
                                   candidates: candidates, audioSSRC: .random(in: 1...UInt32.max), videoSSRC: .random(in: 1...UInt32.max))
        offer = description.sdp
        self.settings = settings
        self.parameterSets = parameterSets
        self.onKeyframeRequest = onKeyframeRequest
        outcome = channel.eventLoop.makePromise(of: Void.self)
    }

    /// Starts ICE and DTLS towards the answer's candidates; returns once SRTP is keyed.
    func connect(answer text: String, iceServers: [String], trickle: @escaping @Sendable (String) -> Void) async throws(WebRTCError) {
        let answer = try SessionAnswer(text)
        let (servers, ignored) = ReflexiveGathering.stunServers(iceServers)
        statsBox.value.withLock { $0.iceServersIgnored = ignored }
        let gathering = ReflexiveGathering(servers: servers, hosts: description.candidates)
        let loop = channel.eventLoop
        let connected = loop.makePromise(of: Void.self)
        let (channel, offer, certificate, settings, parameterSets, stats, outcome, onKeyframeRequest) =
            (channel, description, certificate, settings, parameterSets, statsBox, outcome, onKeyframeRequest)
        do {
            let bound = try await loop.submit {
                let h = try PeerHandler(offer: offer, answer: answer, certificate: certificate, settings: settings, parameterSets: parameterSets,
                                        stats: stats, connected: connected, outcome: outcome, onKeyframeRequest: onKeyframeRequest,
                                        gathering: gathering, trickle: trickle)
                try channel.pipeline.syncOperations.addHandler(h)
                h.start()
                return NIOLoopBound(h, eventLoop: loop)
            }.get()
            handler.withLock { $0 = bound }
            // Failure before connecting fails `connected` too.
            outcome.futureResult.whenFailure { connected.fail($0) }
            try await connected.futureResult.get()
        } catch let error as WebRTCError {
            throw error
        } catch {
            throw .ice("\(error)")
        }
    }

    var stats: WebRTCStats { statsBox.value.withLock { $0 } }

    func send(_ packet: StreamPacket) {
        guard let handler = handler.withLock({ $0 }) else { return }
        channel.eventLoop.execute { handler.value.send(packet) }
    }

    /// Returns when the session fails (consent lost, DTLS closed); throws why.
    func ended() async throws { try await outcome.futureResult.get() }

    /// Sends DTLS close_notify and closes the socket.
    func close() async {
        if let handler = handler.withLock({ $0 }) {
            try? await channel.eventLoop.submit { handler.value.shutdown() }.get()
        }
        try? await channel.close()
        outcome.succeed(())
    }
}
