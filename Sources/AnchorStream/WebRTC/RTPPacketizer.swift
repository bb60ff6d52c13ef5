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
