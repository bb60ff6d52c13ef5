import Foundation

/// Writes RTP packets (RFC 3550) of one stream: version 2, no CSRC, no extension; the
/// sequence number runs on from a random start.
struct RTPPacketizer {
    let payloadType: UInt8
    let ssrc: UInt32
    private(set) var sequence: UInt16
    /// What a sender report counts.
    private(set) var packets = 0
    private(set) var payloadBytes = 0

    init(payloadType: UInt8, ssrc: UInt32, firstSequence: UInt16 = .random(in: 0...0x7FFF)) {
        self.payloadType = payloadType
        self.ssrc = ssrc
        sequence = firstSequence
    }

    /// One packet: the 12-byte header and `payload`.
    mutating func packet(_ payload: [UInt8], timestamp: UInt32, marker: Bool) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(12 + payload.count + SRTPContext.overhead)
        out += [0x80, (marker ? 0x80 : 0) | payloadType, UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        out += STUNMessage.be32(timestamp) + STUNMessage.be32(ssrc)
        out += payload
        sequence &+= 1
        packets += 1
        payloadBytes += payload.count
        return out
    }

    static func sequence(of packet: [UInt8]) -> UInt16 { UInt16(packet[2]) << 8 | UInt16(packet[3]) }
}

/// H.264 in RTP (RFC 6184, packetization-mode 1): SPS and PPS aggregated in one STAP-A before
/// each keyframe, NAL units that fit sent whole, larger ones split into FU-A fragments.
/// The last packet of an access unit carries the marker bit.
enum H264Payloads {
    static let stapA: UInt8 = 24
    static let fuA: UInt8 = 28

    /// Payloads of one access unit, each at most `mtu` bytes.
    static func payloads(units: [Data], parameterSets: [Data], keyframe: Bool, mtu: Int) -> [[UInt8]] {
        var out: [[UInt8]] = []
        if keyframe, !parameterSets.isEmpty {
            let nri = parameterSets.map { ($0.first ?? 0) & 0x60 }.max() ?? 0x60
            var stap: [UInt8] = [nri | stapA]
            for set in parameterSets { stap += [UInt8(set.count >> 8), UInt8(set.count & 0xFF)] + set }
            if stap.count <= mtu { out.append(stap) } else { out += parameterSets.map { Array($0) } }
        }
        for unit in units where !unit.isEmpty {
            if unit.count <= mtu {
                out.append(Array(unit))
                continue
            }
            let header = unit[unit.startIndex]
            let indicator = (header & 0xE0) | fuA
            let type = header & 0x1F
            var at = unit.startIndex + 1
            let room = mtu - 2
            while at < unit.endIndex {
                let end = min(unit.endIndex, at + room)
                var fu: [UInt8] = [indicator, type | (at == unit.startIndex + 1 ? 0x80 : 0) | (end == unit.endIndex ? 0x40 : 0)]
                fu += unit[at..<end]
                out.append(fu)
                at = end
            }
        }
        return out
    }

    /// NAL units back from payloads (what a receiver does; for tests and the fuzzer).
    static func units(from payloads: [[UInt8]]) -> [Data] {
        var units: [Data] = []
        var fragment: Data?
        for p in payloads where !p.isEmpty {
            switch p[0] & 0x1F {
            case stapA:
                var at = 1
                while at + 2 <= p.count {
                    let n = Int(p[at]) << 8 | Int(p[at + 1])
                    at += 2
                    guard at + n <= p.count else { break }
                    units.append(Data(p[at..<(at + n)]))
                    at += n
                }
            case fuA where p.count >= 2:
                if p[1] & 0x80 != 0 { fragment = Data([(p[0] & 0xE0) | (p[1] & 0x1F)]) }
                fragment?.append(contentsOf: p[2...])
                if p[1] & 0x40 != 0, let f = fragment { units.append(f); fragment = nil }
            default:
                units.append(Data(p))
            }
        }
        return units
    }
}

/// The last second or so of sent (protected) packets, by sequence number, for NACKs.
struct RetransmitHistory {
    private var slots: [(sequence: UInt16, packet: [UInt8])?]

    init(capacity: Int = 512) { slots = Array(repeating: nil, count: capacity) }

    mutating func keep(_ packet: [UInt8], sequence: UInt16) { slots[Int(sequence) % slots.count] = (sequence, packet) }

    func packet(_ sequence: UInt16) -> [UInt8]? {
        guard let slot = slots[Int(sequence) % slots.count], slot.sequence == sequence else { return nil }
        return slot.packet
    }
}
