import AnchorMedia
@testable import AnchorStream
import AnchorTestSupport
import Foundation
import NIOCore
import Testing

private func bytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.filter(\.isHexDigit))
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

/// STUN against the test vectors of RFC 5769.
@Suite struct STUNTests {
    static let request = bytes("""
        00010058 2112a442 b7e7a701 bc34d686 fa87dfae 80220010 5354554e 20746573 7420636c 69656e74
        00240004 6e0001ff 80290008 932ff9b1 51263b36 00060009 6576746a 3a683676 59202020
        00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2 80280004 e57a3bcf
        """)
    static let response = bytes("""
        0101003c 2112a442 b7e7a701 bc34d686 fa87dfae 8022000b 74657374 20766563 746f7220
        00200008 0001a147 e112a643 00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
        80280004 c07d4c96
        """)
    static let password = Array("VOkJxbRl1RmTxUk/WvJxBt".utf8)

    @Test func theSampleRequestReadsAndVerifies() throws {
        let m = try #require(STUNMessage.parse(Self.request))
        #expect(m.kind == .bindingRequest)
        #expect(m.username == "evtj:h6vY")
        #expect(m.value(.priority) == [0x6E, 0x00, 0x01, 0xFF])
        #expect(m.value(.iceControlled)?.count == 8)
        #expect(m.hasIntegrity(key: Self.password))
        #expect(m.hasValidFingerprint)
        #expect(!m.hasIntegrity(key: Array("wrong password".utf8)))
        var tampered = Self.request
        tampered[30] ^= 1 // a byte of SOFTWARE
        let t = try #require(STUNMessage.parse(tampered))
        #expect(!t.hasIntegrity(key: Self.password) && !t.hasValidFingerprint)
    }

    @Test func theSampleIPv4ResponseGivesItsMappedAddress() throws {
        let m = try #require(STUNMessage.parse(Self.response))
        #expect(m.kind == .bindingSuccess)
        #expect(m.xorMappedAddress?.host == "192.0.2.1" && m.xorMappedAddress?.port == 32_853)
        #expect(m.hasIntegrity(key: Self.password) && m.hasValidFingerprint)
        // Encoding the same attributes gives the vector's XOR-MAPPED-ADDRESS bytes.
        #expect(STUNMessage.xorAddress(host: "192.0.2.1", port: 32_853, transaction: m.transaction) == m.value(.xorMappedAddress))
    }

    @Test func whatWeWriteReadsBackAndVerifies() throws {
        var m = STUNMessage(kind: .bindingRequest)
        m.add(.username, Array("remote:local".utf8)) // 12 bytes: no padding
        m.add(.software, Array("anchor".utf8)) // 6 bytes: padded to 8
        m.add(.iceControlling, [1, 2, 3, 4, 5, 6, 7, 8])
        m.add(.useCandidate, [])
        let wire = m.encoded(integrityKey: Self.password)
        #expect(wire.count % 4 == 0 && Int(wire[2]) << 8 | Int(wire[3]) == wire.count - 20)
        let back = try #require(STUNMessage.parse(wire))
        #expect(back == m)
        #expect(back.hasIntegrity(key: Self.password) && back.hasValidFingerprint)
        #expect(STUNMessage.parse([0x80] + wire.dropFirst()) == nil, "RTP-looking bytes are not STUN")
    }
}

@Suite struct RTPTests {
    static func unit(type: UInt8, size: Int) -> Data {
        Data([0x60 | type] + (1..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    }

    @Test func aKeyframeGoesOutAsSTAPAThenFUAFragmentsAndReassembles() {
        let sps = Self.unit(type: 7, size: 12), pps = Self.unit(type: 8, size: 4)
        let idr = Self.unit(type: 5, size: 3_000), sei = Self.unit(type: 6, size: 20)
        let payloads = H264Payloads.payloads(units: [sei, idr], parameterSets: [sps, pps], keyframe: true, mtu: 1_172)
        #expect(payloads.allSatisfy { $0.count <= 1_172 })
        #expect(payloads[0][0] & 0x1F == H264Payloads.stapA)
        #expect(payloads[1] == Array(sei), "a small unit goes whole")
        let fragments = payloads.dropFirst(2)
        #expect(fragments.count == 3 && fragments.allSatisfy { $0[0] & 0x1F == H264Payloads.fuA })
        #expect(fragments.first![1] & 0x80 != 0 && fragments.last![1] & 0x40 != 0, "start and end bits")
        #expect(H264Payloads.units(from: payloads) == [sps, pps, sei, idr])
        // A delta frame carries no parameter sets.
        #expect(H264Payloads.payloads(units: [Self.unit(type: 1, size: 100)], parameterSets: [sps, pps], keyframe: false, mtu: 1_172).count == 1)
    }

    @Test func headersCarryTypeSequenceTimeAndMarker() {
        var p = RTPPacketizer(payloadType: 96, ssrc: 0xDEAD_BEEF, firstSequence: 0xFFFF)
        let a = p.packet([1, 2, 3], timestamp: 90_000, marker: false)
        let b = p.packet([4], timestamp: 93_000, marker: true)
        #expect(a.count == 15 && a[0] == 0x80 && a[1] == 96)
        #expect(RTPPacketizer.sequence(of: a) == 0xFFFF && RTPPacketizer.sequence(of: b) == 0, "the sequence wraps")
        #expect(Array(a[4..<8]) == [0x00, 0x01, 0x5F, 0x90] && Array(a[8..<12]) == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(b[1] == 0x80 | 96, "the marker ends the access unit")
        #expect(p.packets == 2 && p.payloadBytes == 4)
    }

    @Test func nacksAndPictureLossAreRead() {
        let nack = RTCPPacket.nackPacket(sender: 1, media: 0xABCD, lost: [100])
        // PID 100 with BLP bits 0 and 2: 101 and 103 are lost too.
        var withMask = nack
        withMask[withMask.count - 1] = 0b101
        #expect(RTCPPacket.parse(withMask) == [.nack(mediaSSRC: 0xABCD, sequences: [100, 101, 103])])
        let pli: [UInt8] = [0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0xAB, 0xCD]
        #expect(RTCPPacket.parse(nack + pli) == [.nack(mediaSSRC: 0xABCD, sequences: [100]), .pictureLoss(mediaSSRC: 0xABCD)])
        let sr = RTCPPacket.senderReport(ssrc: 7, ntp: 1 << 32, rtpTime: 9, packets: 3, octets: 30, cname: "anchor")
        #expect(sr.count % 4 == 0 && sr[1] == 200 && sr[29] == 202, "a sender report, then SDES")
        #expect(RTCPPacket.parse(sr) == [.other(type: 200), .other(type: 202)])
    }

    @Test func historyKeepsRecentPacketsBySequence() {
        var h = RetransmitHistory(capacity: 4)
        for s: UInt16 in 10...15 { h.keep([UInt8(s)], sequence: s) }
        #expect(h.packet(15) == [15] && h.packet(12) == [12])
        #expect(h.packet(11) == nil, "overwritten")
    }
}

@Suite struct DTLSSRTPTests {
    /// Two of our endpoints shake hands over memory: both export the same keys, each sees the
    /// other's fingerprint, and SRTP protected by one side unprotects on the other.
    @Test func aHandshakeBetweenTwoEndpointsKeysSRTP() throws {
        let certA = try DTLSCertificate(), certB = try DTLSCertificate()
        #expect(certA.fingerprint.split(separator: ":").count == 32 && certA.fingerprint != certB.fingerprint)
        let client = try DTLSTransport(certificate: certA, isServer: false)
        let server = try DTLSTransport(certificate: certB, isServer: true)
        var done = (false, false)
        for _ in 0..<20 where !(done.0 && done.1) {
            done.0 = try client.handshake() == .done || done.0
            for d in client.takeDatagrams() { #expect(d.count <= 1_200); d.withUnsafeBytes { server.feed($0) } }
            done.1 = try server.handshake() == .done || done.1
            for d in server.takeDatagrams() { #expect(d.count <= 1_200); d.withUnsafeBytes { client.feed($0) } }
        }
        #expect(done.0 && done.1)
        #expect(client.peerFingerprint == certB.fingerprint && server.peerFingerprint == certA.fingerprint)
        let a = try client.srtpKeys(), b = try server.srtpKeys()
        #expect(a.client == b.client && a.server == b.server && a.client != a.server && a.profile == "SRTP_AES128_CM_SHA1_80")

        let sender = try SRTPContext(keySalt: b.server, outbound: true)
        let receiver = try SRTPContext(keySalt: a.server, outbound: false)
        var rtp = RTPPacketizer(payloadType: 111, ssrc: 42)
        let plain = rtp.packet(Array(repeating: 7, count: 100), timestamp: 960, marker: false)
        var packet = plain
        try sender.protect(&packet)
        #expect(packet.count == plain.count + 10 && packet[12...] != plain[12...], "encrypted, with a 10-byte tag")
        var tampered = packet
        tampered[20] ^= 1
        #expect(!receiver.unprotect(&tampered), "a changed byte fails authentication")
        #expect(receiver.unprotect(&packet) && packet == plain)
        var report = RTCPPacket.senderReport(ssrc: 42, ntp: 1, rtpTime: 960, packets: 1, octets: 100, cname: "anchor")
        let plainReport = report
        try sender.protect(&report, rtcp: true)
        #expect(receiver.unprotect(&report, rtcp: true) && report == plainReport)
    }
}

@Suite struct SDPTests {
    @Test func theOfferAdvertisesWhatWebRTCPeersAccept() {
        let offer = SessionOffer(iceUfrag: "abcd", icePwd: "p".padding(toLength: 24, withPad: "q", startingAt: 0), fingerprint: "AA:BB",
                                 candidates: [("127.0.0.1", 5000)], audioSSRC: 1, videoSSRC: 2)
        let sdp = offer.sdp
        for line in ["a=setup:actpass", "a=fingerprint:sha-256 AA:BB", "a=group:BUNDLE 0 1", "a=rtcp-mux", "a=sendonly",
                     "a=rtpmap:111 opus/48000/2", "a=rtpmap:96 H264/90000",
                     "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                     "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli", "a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host"] {
            #expect(sdp.contains(line + "\r\n"), "\(line)")
        }
        #expect(sdp.hasPrefix("v=0\r\n") && sdp.components(separatedBy: "m=").count == 3)
    }

    static let answer = """
        v=0\r
        o=- 1 1 IN IP4 0.0.0.0\r
        s=-\r
        t=0 0\r
        a=group:BUNDLE 0 1\r
        m=audio 40000 UDP/TLS/RTP/SAVPF 111\r
        c=IN IP4 127.0.0.1\r
        a=mid:0\r
        a=rtpmap:111 opus/48000/2\r
        a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r
        a=candidate:2 1 udp 1694498815 203.0.113.9 40001 typ srflx raddr 10.0.0.1 rport 40000\r
        a=ice-ufrag:Uf12\r
        a=ice-pwd:thepasswordthatislong12\r
        a=fingerprint:sha-256 ab:cd:ef\r
        a=setup:active\r
        m=video 40000 UDP/TLS/RTP/SAVPF 102\r
        c=IN IP4 127.0.0.1\r
        a=mid:1\r
        a=rtpmap:102 H264/90000\r
        a=fmtp:102 packetization-mode=1;profile-level-id=42e01f\r

        """

    @Test func theAnswerGivesCredentialsRoleCandidatesAndPayloadTypes() throws {
        let a = try SessionAnswer(Self.answer)
        #expect(a.iceUfrag == "Uf12" && a.icePwd == "thepasswordthatislong12" && !a.iceLite)
        #expect(a.fingerprint == "AB:CD:EF" && a.theyAreDTLSClient)
        #expect(a.candidates.map(\.port) == [40000, 40001], "by priority")
        #expect(a.opusType == 111 && a.h264Type == 102, "the answer's payload type is used")
    }

    /// What aiortc 1.16 answers (three fingerprints — here sha-256 last —, candidates after the codecs, CRLF).
    @Test func aiortcsAnswerReads() throws {
        let text = try String(contentsOfFile: TestSupport.path("Tests/Fixtures/aiortc-answer.sdp"), encoding: .utf8)
        let a = try SessionAnswer(text)
        #expect(a.fingerprint.hasPrefix("3C:61:55") && a.fingerprint.split(separator: ":").count == 32, "the sha-256 one")
        #expect(a.candidates.map(\.port) == [40000] && a.iceUfrag == "Q8sN" && a.theyAreDTLSClient && a.h264Type == 96)
    }

    @Test func aRefusedOrIncompleteAnswerIsAClearError() {
        #expect(throws: WebRTCError.sdp("the endpoint refused the video stream (port 0)")) {
            try SessionAnswer(Self.answer.replacingOccurrences(of: "m=video 40000", with: "m=video 0"))
        }
        #expect(throws: WebRTCError.sdp("the answer has no ICE credentials (a=ice-ufrag, a=ice-pwd)")) {
            try SessionAnswer(Self.answer.replacingOccurrences(of: "a=ice-pwd:thepasswordthatislong12\r\n", with: ""))
        }
        #expect(throws: WebRTCError.sdp("the endpoint accepted neither Opus nor H.264 as offered (no H.264)")) {
            try SessionAnswer(Self.answer.replacingOccurrences(of: "H264/90000", with: "VP8/90000"))
        }
    }
}

@Suite struct ReflexiveGatheringTests {
    @Test func stunServersAreReadAndTURNIsLeftOut() {
        let (servers, ignored) = ReflexiveGathering.stunServers(["stun:127.0.0.1:3478", "stun:127.0.0.2", "turn:127.0.0.1:3479?transport=udp", "stun:[::1]:19302"])
        #expect(servers.map { "\($0.ipAddress ?? ""):\($0.port ?? 0)" } == ["127.0.0.1:3478", "127.0.0.2:3478", "::1:19302"])
        #expect(ignored == ["turn:127.0.0.1:3479?transport=udp"])
    }

    @Test func aMappedAddressBecomesACandidateOnceAndOnlyWhenNew() throws {
        let server = try SocketAddress(ipAddress: "127.0.0.1", port: 3478)
        var g = ReflexiveGathering(servers: [server], hosts: [("10.0.0.2", 5000)])
        let first = g.requests(at: .uptimeNanoseconds(1_000_000_000))
        #expect(first.count == 1 && g.requests(at: .uptimeNanoseconds(1_100_000_000)).isEmpty, "the next round waits 500 ms")
        func reply(to request: [UInt8], host: String, port: Int) throws -> STUNMessage {
            let asked = try #require(STUNMessage.parse(request))
            var m = STUNMessage(kind: .bindingSuccess, transaction: asked.transaction)
            m.add(.xorMappedAddress, try #require(STUNMessage.xorAddress(host: host, port: port, transaction: asked.transaction)))
            return try #require(STUNMessage.parse(m.encoded(integrityKey: nil)))
        }
        let same = try reply(to: first[0].0, host: "10.0.0.2", port: 5000)
        #expect(g.isOurs(same) && g.response(same) == nil, "no NAT: the host candidate says it all")
        let second = g.requests(at: .uptimeNanoseconds(1_600_000_000))
        let natted = try reply(to: second[0].0, host: "203.0.113.7", port: 61000)
        #expect(g.response(natted).map { "\($0.host):\($0.port)" } == "203.0.113.7:61000")
        #expect(!g.isOurs(natted) && g.requests(at: .uptimeNanoseconds(3_000_000_000)).isEmpty, "found: no more rounds")
    }
}

@Suite struct WHIPEndpointTests {
    @Test func addressesParseAndRedact() throws {
        let w = try WHIPEndpoint("whip+https://ingest.example.com/whip/room-secret-42?sig=abc", token: "t0ken")
        #expect(w.url.absoluteString == "https://ingest.example.com/whip/room-secret-42?sig=abc" && w.token == "t0ken")
        #expect(w.redacted == "whip+https://ingest.example.com/whip/****")
        #expect(!w.redacted.contains("secret") && !w.description.contains("t0ken"))
        #expect(try WHIPEndpoint("whip+http://127.0.0.1:8080/whip").redacted == "whip+http://127.0.0.1:8080/whip")
        guard case .whip = try PushTarget("WHIP+https://a.example.com/x") else { Issue.record("not WHIP"); return }
        guard case .rtmp = try PushTarget("rtmp://a.example.com/live/k") else { Issue.record("not RTMP"); return }
        #expect(throws: StreamURL.ParseError.self) { try WHIPEndpoint("whip+ftp://a.example.com/x") }
    }

    @Test func retryAfterReadsSecondsAndDates() {
        #expect(WHIPClient.retryAfter("3") == 3)
        #expect(WHIPClient.retryAfter(nil) == nil && WHIPClient.retryAfter("soon") == nil)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let later = WHIPClient.retryAfter(f.string(from: Date().addingTimeInterval(30))) ?? -1
        #expect(later > 25 && later <= 30)
    }
}
