import Foundation

/// H.265 framing for Enhanced RTMP: NAL unit types and the HEVC decoder configuration record
/// (`hvcC`, ISO/IEC 14496-15 §8.3.3), built from the encoder's VPS, SPS and PPS.
public enum HEVCFormat {
    public enum NALType: UInt8 {
        case vps = 32, sps = 33, pps = 34, accessUnitDelimiter = 35, prefixSEI = 39, suffixSEI = 40
    }

    public static func type(of nal: Data) -> UInt8 { ((nal.first ?? 0) >> 1) & 0x3F }

    /// What `hvcC` copies from the SPS.
    struct SPSInfo: Equatable {
        /// general_profile_space … general_level_idc: 12 bytes of profile_tier_level.
        var profileTierLevel: [UInt8]
        var chromaFormat: UInt32
        var bitDepthLumaMinus8: UInt32
        var bitDepthChromaMinus8: UInt32
    }

    /// Reads an SPS NAL unit (with its 2-byte header); nil when it is cut short or uses
    /// sub-layers (x265 with one temporal layer never does).
    static func spsInfo(_ sps: Data) -> SPSInfo? {
        let rbsp = unescaped(Array(sps.dropFirst(2)))
        guard rbsp.count >= 13 else { return nil }
        let maxSubLayersMinus1 = (rbsp[0] >> 1) & 0x07
        guard maxSubLayersMinus1 == 0 else { return nil }
        var bits = BitReader(rbsp, byteOffset: 13)
        _ = bits.ue() // sps_seq_parameter_set_id
        guard let chroma = bits.ue() else { return nil }
        if chroma == 3 { _ = bits.bit() } // separate_colour_plane_flag
        _ = bits.ue(); _ = bits.ue() // pic_width/height_in_luma_samples
        if bits.bit() == 1 { for _ in 0..<4 { _ = bits.ue() } } // conformance window
        guard let luma = bits.ue(), let chromaDepth = bits.ue() else { return nil }
        return SPSInfo(profileTierLevel: Array(rbsp[1..<13]), chromaFormat: chroma, bitDepthLumaMinus8: luma, bitDepthChromaMinus8: chromaDepth)
    }

    /// The `hvcC` payload: one VPS, SPS and PPS array, 4-byte NAL lengths.
    public static func decoderConfigurationRecord(vps: Data, sps: Data, pps: Data) -> Data {
        let info = spsInfo(sps) ?? SPSInfo(profileTierLevel: [0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 0x5D], chromaFormat: 1,
                                           bitDepthLumaMinus8: 0, bitDepthChromaMinus8: 0)
        var out: [UInt8] = [1] + info.profileTierLevel
        out += [0xF0, 0x00] // reserved, min_spatial_segmentation_idc 0
        out += [0xFC] // reserved, parallelismType 0 (unknown)
        out += [0xFC | UInt8(info.chromaFormat & 3), 0xF8 | UInt8(info.bitDepthLumaMinus8 & 7), 0xF8 | UInt8(info.bitDepthChromaMinus8 & 7)]
        out += [0, 0] // avgFrameRate unspecified
        out += [0x0F] // constantFrameRate 0, numTemporalLayers 1, temporalIdNested 1, lengthSizeMinusOne 3
        out += [3]
        for (type, unit) in [(NALType.vps, vps), (.sps, sps), (.pps, pps)] {
            out += [0x80 | type.rawValue, 0, 1, UInt8(unit.count >> 8), UInt8(unit.count & 0xFF)]
            out += unit
        }
        return Data(out)
    }

    /// The RBSP of a NAL payload: each emulation-prevention 0x03 after two zeros removed.
    static func unescaped(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var zeros = 0
        for b in bytes {
            if zeros >= 2, b == 3 { zeros = 0; continue }
            zeros = b == 0 ? zeros + 1 : 0
            out.append(b)
        }
        return out
    }

    /// Bits of an RBSP, most significant first, with Exp-Golomb codes.
    struct BitReader {
        private let bytes: [UInt8]
        private var at: Int

        init(_ bytes: [UInt8], byteOffset: Int) { self.bytes = bytes; at = byteOffset * 8 }

        mutating func bit() -> UInt32? {
            guard at < bytes.count * 8 else { return nil }
            defer { at += 1 }
            return UInt32(bytes[at / 8] >> (7 - UInt8(at % 8)) & 1)
        }

        /// ue(v): leading zeros, a one, then as many bits.
        mutating func ue() -> UInt32? {
            var zeros = 0
            while let b = bit(), b == 0 {
                zeros += 1
                if zeros > 31 { return nil }
            }
            var value: UInt32 = 0
            for _ in 0..<zeros {
                guard let b = bit() else { return nil }
                value = value << 1 | b
            }
            return (1 << zeros) - 1 + value
        }
    }
}
