import Foundation

/// H.264 bitstream framing, in one place for the MP4 muxer and the RTMP client:
/// Annex-B start codes ↔ AVCC length prefixes, and the AVC decoder configuration record.
public enum AVCFormat {
    public enum NALType: UInt8 {
        case slice = 1, idr = 5, sei = 6, sps = 7, pps = 8, accessUnitDelimiter = 9
    }

    public static func type(of nal: Data) -> UInt8 { (nal.first ?? 0) & 0x1F }

    /// NAL units with 4-byte big-endian lengths (the MP4/FLV sample format).
    public static func avcc(_ units: [Data]) -> Data {
        var out = Data(capacity: units.reduce(0) { $0 + $1.count + 4 })
        for u in units {
            var n = UInt32(u.count).bigEndian
            withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
            out.append(u)
        }
        return out
    }

    /// The NAL units of an AVCC access unit (4-byte lengths); a truncated tail is dropped.
    public static func units(avcc data: Data) -> [Data] {
        var units: [Data] = []
        var i = data.startIndex
        while i + 4 <= data.endIndex {
            let n = Int(data[i]) << 24 | Int(data[i + 1]) << 16 | Int(data[i + 2]) << 8 | Int(data[i + 3])
            i += 4
            guard n > 0, i + n <= data.endIndex else { break }
            units.append(data[i..<(i + n)])
            i += n
        }
        return units
    }

    /// Back from 4-byte lengths to Annex-B start codes.
    public static func annexB(avcc data: Data) -> Data {
        var out = Data(capacity: data.count + 16)
        for unit in units(avcc: data) {
            out.append(contentsOf: [0, 0, 0, 1])
            out.append(unit)
        }
        return out
    }

    /// The `avcC` box payload (ISO/IEC 14496-15 AVCDecoderConfigurationRecord).
    public static func decoderConfigurationRecord(sps: Data, pps: Data) -> Data {
        let s = [UInt8](sps)
        var out = Data([1, s.count > 1 ? s[1] : 100, s.count > 2 ? s[2] : 0, s.count > 3 ? s[3] : 31, 0xFF, 0xE1])
        out.append(contentsOf: [UInt8(sps.count >> 8), UInt8(sps.count & 0xFF)])
        out.append(sps)
        out.append(1)
        out.append(contentsOf: [UInt8(pps.count >> 8), UInt8(pps.count & 0xFF)])
        out.append(pps)
        return out
    }
}
