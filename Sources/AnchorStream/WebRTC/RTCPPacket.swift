import Foundation

/// The RTCP a sender writes (sender report + SDES CNAME, RFC 3550) and reads (receiver
/// reports, NACK RFC 4585, PLI, FIR RFC 5104).
enum RTCPPacket: Equatable {
    case receiverReport(lossFraction: UInt8, jitter: UInt32)
    case nack(mediaSSRC: UInt32, sequences: [UInt16])
    case pictureLoss(mediaSSRC: UInt32)
    case fullIntraRequest(mediaSSRC: UInt32)
    case bye
    case other(type: UInt8)

    /// The packets of a (decrypted) compound RTCP datagram; malformed tails are ignored.
    static func parse(_ bytes: [UInt8]) -> [RTCPPacket] {
        var out: [RTCPPacket] = []
        var at = 0
        while at + 4 <= bytes.count, bytes[at] >> 6 == 2 {
            let count = bytes[at] & 0x1F, type = bytes[at + 1]
            let length = ((Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])) + 1) * 4
            guard at + length <= bytes.count else { break }
            let body = Array(bytes[at..<(at + length)])
            switch type {
            case 201 where count > 0 && body.count >= 32:
                out.append(.receiverReport(lossFraction: body[12], jitter: STUNMessage.be32(body, 20)))
            case 205 where count == 1 && body.count >= 12:
                var sequences: [UInt16] = []
                var f = 12
                while f + 4 <= body.count {
                    let pid = STUNMessage.be16(body, f), blp = STUNMessage.be16(body, f + 2)
                    sequences.append(pid)
                    for bit in 0..<16 where blp & (1 << bit) != 0 { sequences.append(pid &+ UInt16(bit + 1)) }
                    f += 4
                }
                out.append(.nack(mediaSSRC: STUNMessage.be32(body, 8), sequences: sequences))
            case 206 where count == 1 && body.count >= 12:
                out.append(.pictureLoss(mediaSSRC: STUNMessage.be32(body, 8)))
            case 206 where count == 4 && body.count >= 20:
                out.append(.fullIntraRequest(mediaSSRC: STUNMessage.be32(body, 12)))
            case 203:
                out.append(.bye)
            default:
                out.append(.other(type: type))
            }
            at += length
        }
        return out
    }

    /// A sender report for `ssrc` with an SDES CNAME chunk (a compound packet).
    static func senderReport(ssrc: UInt32, ntp: UInt64, rtpTime: UInt32, packets: Int, octets: Int, cname: String) -> [UInt8] {
        var out: [UInt8] = [0x80, 200, 0, 6] + STUNMessage.be32(ssrc)
        out += STUNMessage.be32(UInt32(ntp >> 32)) + STUNMessage.be32(UInt32(ntp & 0xFFFF_FFFF))
        out += STUNMessage.be32(rtpTime) + STUNMessage.be32(UInt32(truncatingIfNeeded: packets)) + STUNMessage.be32(UInt32(truncatingIfNeeded: octets))
        let name = Array(cname.utf8.prefix(255))
        var chunk = STUNMessage.be32(ssrc) + [1, UInt8(name.count)] + name + [0]
        chunk += repeatElement(0, count: (4 - chunk.count % 4) % 4)
        out += [0x81, 202] + STUNMessage.be16(UInt16(chunk.count / 4)) + chunk
        return out
    }

    /// A NACK as a receiver would send it (for tests).
    static func nackPacket(sender: UInt32, media: UInt32, lost: [UInt16]) -> [UInt8] {
        var fci: [UInt8] = []
        for s in lost { fci += STUNMessage.be16(s) + [0, 0] }
        return [0x81, 205] + STUNMessage.be16(UInt16(2 + fci.count / 4)) + STUNMessage.be32(sender) + STUNMessage.be32(media) + fci
    }

    /// NTP time (RFC 5905 64-bit) of a wall-clock instant.
    static func ntp(_ date: Date) -> UInt64 {
        let seconds = date.timeIntervalSince1970 + 2_208_988_800
        let whole = UInt64(seconds)
        return whole << 32 | UInt64((seconds - Double(whole)) * 4_294_967_296)
    }
}
