import Foundation

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
