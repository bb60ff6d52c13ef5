import AnchorCore
import AnchorMedia
import Foundation
import NIOCore
import Synchronization

/// ICE + DTLS + SRTP + RTP state of one session, on its channel's event loop.
final class PeerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let offer: SessionOffer
    private let answer: SessionAnswer
    private let settings: WebRTCPeer.Settings
    private let parameterSets: [Data]
    private let statsBox: StatsBox
    private let connectedPromise: EventLoopPromise<Void>
    private let outcome: EventLoopPromise<Void>
    private let onKeyframeRequest: @Sendable () -> Void
    private let trickle: @Sendable (String) -> Void
    private var gathering: ReflexiveGathering
    private let dtls: DTLSTransport
    private let tiebreaker = (0..<8).map { _ in UInt8.random(in: 0...255) }

    private var context: ChannelHandlerContext?
    private var timer: RepeatedTask?
    private let started = NIODeadline.now()
    private var remotes: [SocketAddress]
    private var checks: [[UInt8]: SocketAddress] = [:]
    private var selected: SocketAddress?
    private var lastCheck = NIODeadline.uptimeNanoseconds(0)
    private var lastConsent = NIODeadline.now()
    private var nextConsentCheck = NIODeadline.now()
    private var secure = false
    private var ended = false
    private var srtpOut: SRTPContext?
    private var srtpIn: SRTPContext?
    private var audio: RTPPacketizer
    private var video: RTPPacketizer
    /// Sent packets of each stream for NACKs: audio and video number their packets apart, so one
    /// history for both let an audio packet take a video packet's slot and its NACK go unanswered.
    private var videoHistory = RetransmitHistory()
    private var audioHistory = RetransmitHistory()
    private var lastReport = NIODeadline.now()
    /// Each stream's last RTP time and when it was sent: the pair a sender report maps.
    private var lastSent: (audio: (UInt32, Date)?, video: (UInt32, Date)?)

    init(offer: SessionOffer, answer: SessionAnswer, certificate: DTLSCertificate, settings: WebRTCPeer.Settings, parameterSets: [Data],
         stats: StatsBox, connected: EventLoopPromise<Void>, outcome: EventLoopPromise<Void>,
         onKeyframeRequest: @escaping @Sendable () -> Void, gathering: ReflexiveGathering, trickle: @escaping @Sendable (String) -> Void) throws {
        self.offer = offer
        self.gathering = gathering
        self.trickle = trickle
        self.answer = answer
        self.settings = settings
        self.parameterSets = parameterSets
        statsBox = stats
        connectedPromise = connected
        self.outcome = outcome
        self.onKeyframeRequest = onKeyframeRequest
        dtls = try DTLSTransport(certificate: certificate, isServer: answer.theyAreDTLSClient, mtu: settings.mtu)
        remotes = answer.candidates.compactMap { try? SocketAddress(ipAddress: $0.host, port: $0.port) }
        audio = RTPPacketizer(payloadType: answer.opusType, ssrc: offer.audioSSRC)
        video = RTPPacketizer(payloadType: answer.h264Type, ssrc: offer.videoSSRC)
        if remotes.isEmpty { throw WebRTCError.ice("the answer's candidates are not IP addresses (\(answer.candidates.map(\.host).joined(separator: ", ")))") }
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func start() {
        guard let context else { return }
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(20)) { [weak self] _ in self?.tick() }
    }

    // MARK: Incoming

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let cpu = CPUTime.thread()
        defer { account(since: cpu) }
        let envelope = unwrapInboundIn(data)
        var buffer = envelope.data
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        switch first {
        case 0...3: stun(bytes, from: envelope.remoteAddress)
        case 20...63: dtlsRecord(bytes, from: envelope.remoteAddress)
        case 128...191: rtcp(bytes)
        default: break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // ICMP unreachable and the like on UDP: consent freshness decides whether the peer is gone.
    }

    private func stun(_ bytes: [UInt8], from source: SocketAddress) {
        guard let m = STUNMessage.parse(bytes) else { return }
        switch m.kind {
        case .bindingRequest:
            guard m.hasIntegrity(key: Array(offer.icePwd.utf8)), m.username?.hasPrefix(offer.iceUfrag + ":") == true else { return }
            var reply = STUNMessage(kind: .bindingSuccess, transaction: m.transaction)
            if let ip = source.ipAddress, let port = source.port, let xor = STUNMessage.xorAddress(host: ip, port: port, transaction: m.transaction) {
                reply.add(.xorMappedAddress, xor)
            }
            write(reply.encoded(integrityKey: Array(offer.icePwd.utf8)), to: source)
            flush()
            // A peer-reflexive candidate: the endpoint reached us from an address it did not announce.
            if selected == nil, !remotes.contains(source) { remotes.append(source) }
        case .bindingSuccess where gathering.isOurs(m):
            if let mapped = gathering.response(m) {
                statsBox.value.withLock { $0.serverReflexive = "\(mapped.host):\(mapped.port)" }
                trickle(offer.trickleFragment(serverReflexive: mapped, base: offer.candidates.first?.port ?? 9))
            }
        case .bindingSuccess:
            guard checks.removeValue(forKey: m.transaction) != nil, m.hasIntegrity(key: Array(answer.icePwd.utf8)) else { return }
            lastConsent = .now()
            if selected == nil {
                selected = source
                statsBox.value.withLock { $0.remote = "\(source.ipAddress ?? "?"):\(source.port ?? 0)" }
                checks.removeAll()
                handshake() // as DTLS client this sends the ClientHello
            }
        case .bindingError, .bindingIndication:
            break
        }
    }

    private func dtlsRecord(_ bytes: [UInt8], from source: SocketAddress) {
        guard selected == nil || source == selected else { return }
        if selected == nil { selected = source }
        bytes.withUnsafeBytes { dtls.feed($0) }
        if secure {
            if dtls.readClosed() { fail(.dtls("the endpoint closed the DTLS connection")) }
            flushDTLS()
        } else {
            handshake()
        }
    }

    private func handshake() {
        do {
            if try dtls.handshake() == .done { try connect() }
        } catch let e as WebRTCError {
            fail(e)
        } catch {
            fail(.dtls("\(error)"))
        }
        flushDTLS()
    }

    /// DTLS is up: check the peer is who the answer said, then key SRTP.
    private func connect() throws(WebRTCError) {
        guard !secure else { return }
        guard let peer = dtls.peerFingerprint, peer.uppercased() == answer.fingerprint else {
            throw .dtls("the endpoint's DTLS certificate does not match the fingerprint in its answer")
        }
        let keys = try dtls.srtpKeys()
        let (mine, theirs) = answer.theyAreDTLSClient ? (keys.server, keys.client) : (keys.client, keys.server)
        srtpOut = try SRTPContext(keySalt: mine, outbound: true)
        srtpIn = try SRTPContext(keySalt: theirs, outbound: false)
        secure = true
        lastConsent = .now()
        let seconds = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        statsBox.value.withLock { $0.connectSeconds = seconds }
        connectedPromise.succeed(())
    }

    private func rtcp(_ bytes: [UInt8]) {
        guard bytes.count >= 8, (192...223).contains(bytes[1]), let srtpIn else { return }
        var packet = bytes
        guard srtpIn.unprotect(&packet, rtcp: true) else { return }
        for p in RTCPPacket.parse(packet) {
            switch p {
            case .nack(let ssrc, let sequences):
                var resent = 0
                let history = ssrc == audio.ssrc ? audioHistory : videoHistory
                for s in sequences {
                    if let again = history.packet(s) { write(again, to: selected); resent += 1 }
                }
                flush()
                statsBox.value.withLock { $0.nackedPackets += sequences.count; $0.retransmitted += resent }
            case .pictureLoss, .fullIntraRequest:
                statsBox.value.withLock { $0.keyframeRequests += 1 }
                onKeyframeRequest()
            case .receiverReport(let loss, _):
                statsBox.value.withLock { $0.receiverLossFraction = Double(loss) / 256 }
            case .bye:
                fail(.ice("the endpoint said goodbye (RTCP BYE)"))
            case .other:
                break
            }
        }
    }

    // MARK: Outgoing

    func send(_ p: StreamPacket) {
        guard secure, !ended, let srtpOut, let to = selected else { return }
        let cpu = CPUTime.thread()
        defer { account(since: cpu) }
        var packets: [[UInt8]] = []
        switch p.kind {
        case .audio:
            packets.append(audio.packet(Array(p.data), timestamp: p.rtpTime, marker: false))
        case .video:
            let payloads = H264Payloads.payloads(units: AVCFormat.units(avcc: p.data), parameterSets: parameterSets, keyframe: p.isKeyframe, mtu: settings.mtu - 12 - SRTPContext.overhead)
            for (i, payload) in payloads.enumerated() {
                packets.append(video.packet(payload, timestamp: p.rtpTime, marker: i == payloads.count - 1))
            }
        }
        var bytes = 0
        var latency = Duration.zero
        for (i, var packet) in packets.enumerated() {
            let sequence = RTPPacketizer.sequence(of: packet)
            do { try srtpOut.protect(&packet) } catch { fail(error); return }
            if p.kind == .video { videoHistory.keep(packet, sequence: sequence) } else { audioHistory.keep(packet, sequence: sequence) }
            bytes += packet.count
            write(packet, to: to)
            if i == 0 {
                // The first packet leaves at once: a receiver's jitter buffer starts on it.
                flush()
                latency = ContinuousClock.now - p.readyAt
            }
        }
        flush()
        if p.kind == .audio { lastSent.audio = (p.rtpTime, Date()) } else { lastSent.video = (p.rtpTime, Date()) }
        statsBox.value.withLock { s in
            s.packetsSent += packets.count
            s.bytesSent += bytes
            if p.kind == .video {
                if s.firstPacketLatencyMs.count >= 100_000 { s.firstPacketLatencyMs.removeFirst(50_000) }
                s.firstPacketLatencyMs.append(latency.inSeconds * 1000)
            }
        }
    }

    private func tick() {
        guard !ended else { return }
        let cpu = CPUTime.thread()
        defer { account(since: cpu) }
        let now = NIODeadline.now()
        if !secure, now - started > settings.handshakeTimeout {
            let tried = remotes.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" }.joined(separator: ", ")
            fail(selected == nil
                 ? .ice("no ICE connectivity within \(settings.handshakeTimeout) (tried \(tried))")
                 : .dtls("the DTLS handshake did not complete within \(settings.handshakeTimeout)"))
            return
        }
        let requests = gathering.requests(at: now)
        for (request, server) in requests { write(request, to: server) }
        if !requests.isEmpty { flush() }
        if selected == nil, now - lastCheck >= .milliseconds(200) {
            lastCheck = now
            for r in remotes { check(r, nominate: true) }
            flush()
        }
        if !secure, selected != nil, let due = dtls.timeout, due == .zero {
            do { try dtls.handleTimeout() } catch { fail(error); return }
            flushDTLS()
        }
        guard secure, let to = selected else { return }
        if now >= nextConsentCheck {
            check(to, nominate: false)
            flush()
            let jitter = Double.random(in: 0.8...1.2)
            nextConsentCheck = now + .nanoseconds(Int64(Double(settings.consentInterval.nanoseconds) * jitter))
        }
        if now - lastConsent > settings.consentTimeout {
            fail(.ice("consent lost: the endpoint stopped answering ICE checks for \(settings.consentTimeout)"))
            return
        }
        if now - lastReport >= .seconds(1) {
            lastReport = now
            sendReports(to: to)
        }
    }

    private func check(_ remote: SocketAddress, nominate: Bool) {
        var m = STUNMessage(kind: .bindingRequest)
        m.add(.username, Array("\(answer.iceUfrag):\(offer.iceUfrag)".utf8))
        m.add(.priority, STUNMessage.be32(1_853_824_767)) // peer-reflexive, RFC 8445 §5.1.2
        m.add(.iceControlling, tiebreaker)
        if nominate { m.add(.useCandidate, []) }
        checks[m.transaction] = remote
        if checks.count > 64 { checks.removeAll() }
        write(m.encoded(integrityKey: Array(answer.icePwd.utf8)), to: remote)
    }

    private func sendReports(to: SocketAddress) {
        guard let srtpOut else { return }
        for (stream, sent) in [(audio, lastSent.audio), (video, lastSent.video)] {
            guard let (rtpTime, at) = sent else { continue }
            var report = RTCPPacket.senderReport(ssrc: stream.ssrc, ntp: RTCPPacket.ntp(at), rtpTime: rtpTime, packets: stream.packets,
                                                 octets: stream.payloadBytes, cname: offer.cname)
            if (try? srtpOut.protect(&report, rtcp: true)) != nil { write(report, to: to) }
        }
        flush()
    }

    private func account(since cpu: Double) {
        let spent = CPUTime.thread() - cpu
        statsBox.value.withLock { $0.cpuSeconds += spent }
    }

    private func flushDTLS() {
        guard let to = selected else { return }
        for d in dtls.takeDatagrams() { write(d, to: to) }
        flush()
    }

    private func write(_ bytes: [UInt8], to: SocketAddress?) {
        guard let context, let to else { return }
        let buffer = context.channel.allocator.buffer(bytes: bytes)
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: to, data: buffer)), promise: nil)
    }

    private func flush() { context?.flush() }

    private func fail(_ error: WebRTCError) {
        guard !ended else { return }
        ended = true
        timer?.cancel()
        outcome.fail(error)
    }

    func shutdown() {
        if secure, !ended {
            dtls.shutdown()
            flushDTLS()
        }
        ended = true
        timer?.cancel()
    }
}
