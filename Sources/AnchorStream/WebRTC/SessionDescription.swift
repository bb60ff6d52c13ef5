import Foundation

/// What we offer a WHIP endpoint: one Opus and one H.264 (constrained baseline) stream,
/// send-only, bundled on one ICE/DTLS transport with RTCP multiplexed.
struct SessionOffer {
    var iceUfrag: String
    var icePwd: String
    var fingerprint: String
    var candidates: [(host: String, port: Int)]
    var audioSSRC: UInt32
    var videoSSRC: UInt32
    var cname = "anchor"
    static let opusType: UInt8 = 111
    static let h264Type: UInt8 = 96

    var sdp: String {
        let session = UInt64.random(in: 1...(UInt64(1) << 62))
        var lines = ["v=0", "o=- \(session) 2 IN IP4 127.0.0.1", "s=anchor", "t=0 0", "a=group:BUNDLE 0 1", "a=msid-semantic: WMS anchor"]
        func media(_ kind: String, _ type: UInt8, _ mid: Int, _ ssrc: UInt32, _ codec: [String]) {
            lines += ["m=\(kind) 9 UDP/TLS/RTP/SAVPF \(type)", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
                      "a=ice-ufrag:\(iceUfrag)", "a=ice-pwd:\(icePwd)", "a=ice-options:trickle",
                      "a=fingerprint:sha-256 \(fingerprint)", "a=setup:actpass", "a=mid:\(mid)", "a=sendonly", "a=rtcp-mux"]
            lines += codec
            lines += ["a=ssrc:\(ssrc) cname:\(cname)", "a=ssrc:\(ssrc) msid:anchor \(kind)", "a=msid:anchor \(kind)"]
            for (i, c) in candidates.enumerated() {
                lines.append("a=candidate:\(i + 1) 1 udp \(2_130_706_431 - i) \(c.host) \(c.port) typ host")
            }
            lines.append("a=end-of-candidates")
        }
        media("audio", Self.opusType, 0, audioSSRC, ["a=rtpmap:\(Self.opusType) opus/48000/2", "a=fmtp:\(Self.opusType) minptime=10;useinbandfec=1"])
        media("video", Self.h264Type, 1, videoSSRC, [
            "a=rtpmap:\(Self.h264Type) H264/90000",
            "a=fmtp:\(Self.h264Type) level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "a=rtcp-fb:\(Self.h264Type) nack", "a=rtcp-fb:\(Self.h264Type) nack pli", "a=rtcp-fb:\(Self.h264Type) ccm fir",
        ])
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A candidate learned after the offer, as WHIP trickles it: a PATCH body of type
    /// `application/trickle-ice-sdpfrag` (RFC 8840), for the first (bundled) media section.
    func trickleFragment(serverReflexive c: (host: String, port: Int), base: Int) -> String {
        ["a=ice-ufrag:\(iceUfrag)", "a=ice-pwd:\(icePwd)", "m=audio 9 UDP/TLS/RTP/SAVPF \(Self.opusType)", "a=mid:0",
         "a=candidate:\(candidates.count + 1) 1 udp 1694498815 \(c.host) \(c.port) typ srflx raddr 0.0.0.0 rport \(base)"]
            .joined(separator: "\r\n") + "\r\n"
    }

    /// ICE credentials: a 4+ character ufrag and a 22+ character password (RFC 8839).
    static func randomToken(_ count: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/")
        return String((0..<count).map { _ in alphabet.randomElement()! })
    }
}

/// What matters to a sender in the endpoint's answer.
struct SessionAnswer: Equatable {
    struct Candidate: Equatable {
        var host: String
        var port: Int
        var priority: UInt32
    }

    var iceUfrag: String
    var icePwd: String
    var iceLite: Bool
    /// "sha-256" and the hex pairs, upper-case.
    var fingerprint: String
    /// Our DTLS role follows from theirs: `active` (they connect) makes us the server.
    var theyAreDTLSClient: Bool
    var candidates: [Candidate]
    var opusType: UInt8
    var h264Type: UInt8

    /// Reads an answer; the error names what is missing or refused.
    init(_ sdp: String) throws(WebRTCError) {
        var session: [String: String] = [:]
        var sections: [[String]] = []
        for raw in sdp.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("m=") { sections.append([line]); continue }
            if sections.isEmpty {
                if let (k, v) = Self.attribute(line) { session[k] = v }
            } else {
                sections[sections.count - 1].append(line)
            }
        }
        func value(_ key: String, in section: [String]) -> String? {
            section.lazy.compactMap(Self.attribute).first { $0.0 == key }?.1 ?? session[key]
        }
        guard !sections.isEmpty else { throw .sdp("the answer has no media section") }
        guard let ufrag = sections.lazy.compactMap({ value("ice-ufrag", in: $0) }).first,
              let pwd = sections.lazy.compactMap({ value("ice-pwd", in: $0) }).first else {
            throw .sdp("the answer has no ICE credentials (a=ice-ufrag, a=ice-pwd)")
        }
        // Endpoints may list several (sha-256, sha-384, sha-512): DTLS-SRTP peers must offer sha-256.
        let fingerprints = (sections.flatMap { $0 } + session.map { "a=\($0.key):\($0.value)" }).compactMap(Self.attribute)
            .filter { $0.0 == "fingerprint" }.map { $0.1.split(separator: " ") }
        guard !fingerprints.isEmpty else { throw .sdp("the answer has no DTLS fingerprint") }
        guard let sha256 = fingerprints.first(where: { $0.count == 2 && $0[0].lowercased() == "sha-256" }) else {
            throw .sdp("the answer has no sha-256 fingerprint ('\(fingerprints[0].joined(separator: " "))')")
        }
        iceUfrag = ufrag
        icePwd = pwd
        iceLite = session["ice-lite"] != nil
        fingerprint = sha256[1].uppercased()
        theyAreDTLSClient = (sections.lazy.compactMap { value("setup", in: $0) }.first ?? "active") != "passive"

        var opus: UInt8?, h264: UInt8?
        var candidates: [Candidate] = []
        var fallback: [Candidate] = []
        for section in sections {
            let m = section[0].split(separator: " ")
            guard m.count >= 4 else { throw .sdp("a bad media line: \(section[0])") }
            if m[1] == "0" { throw .sdp("the endpoint refused the \(m[0].dropFirst(2)) stream (port 0)") }
            for line in section {
                if line.hasPrefix("a=rtpmap:") {
                    let f = line.dropFirst(9).split(separator: " ")
                    guard f.count == 2, let pt = UInt8(f[0]) else { continue }
                    let codec = f[1].lowercased()
                    if codec.hasPrefix("opus/48000"), opus == nil { opus = pt }
                    if codec.hasPrefix("h264/90000"), h264 == nil { h264 = pt }
                } else if line.hasPrefix("a=candidate:") {
                    let f = line.dropFirst(12).split(separator: " ")
                    // foundation component transport priority address port typ type …
                    guard f.count >= 8, f[1] == "1", f[2].lowercased() == "udp", let priority = UInt32(f[3]), let port = Int(f[5]) else { continue }
                    let c = Candidate(host: String(f[4]), port: port, priority: priority)
                    if !candidates.contains(c) { candidates.append(c) }
                } else if line.hasPrefix("c=IN IP"), let port = Int(m[1]), port != 9 {
                    let host = String(line.split(separator: " ").last ?? "")
                    fallback.append(Candidate(host: host, port: port, priority: 0))
                }
            }
        }
        guard let opus, let h264 else {
            throw .sdp("the endpoint accepted neither Opus nor H.264 as offered" + (opus == nil && h264 == nil ? "" : opus == nil ? " (no Opus)" : " (no H.264)"))
        }
        opusType = opus
        h264Type = h264
        self.candidates = (candidates.isEmpty ? fallback : candidates).sorted { $0.priority > $1.priority }
        guard !self.candidates.isEmpty else { throw .sdp("the answer has no ICE candidate to send to") }
    }

    private static func attribute(_ line: String) -> (String, String)? {
        guard line.hasPrefix("a=") else { return nil }
        let body = line.dropFirst(2)
        guard let colon = body.firstIndex(of: ":") else { return (String(body), "") }
        return (String(body[..<colon]), String(body[body.index(after: colon)...]))
    }
}
