import AnchorCore
@testable import AnchorMedia
import AnchorTestSupport
import Foundation
import Testing

/// x265 for Enhanced RTMP: what it makes decodes with FFmpeg, keyframes come on time and on
/// request, and the `hvcC` record says what the SPS says.
@Suite struct HEVCTests {
    @Test func framesDecodeAndKeyframesComeOnTimeAndOnRequest() throws {
        let (w, h) = (320, 240)
        var s = VideoSettings(width: w, height: h, fps: 30)
        s.preset = "superfast"
        s.bitrateKbps = 400
        let encoder = try HEVCEncoder(s)
        #expect(encoder.codec == .hevc && encoder.parameterSets.map(HEVCFormat.type) == [32, 33, 34])
        let converter = ColorConverter(width: w, height: h), frame = I420Frame(width: w, height: h)
        var packets: [EncodedPacket] = []
        for n in 0..<75 {
            let bgra = testFrame(w, h, n)
            bgra.withUnsafeBytes { converter.convert(bgra: $0.baseAddress!, stride: w * 4, into: frame) }
            if n == 10 { encoder.forceKeyframe() }
            packets += encoder.encode(frame, index: Int64(n), changed: nil)
        }
        packets += encoder.flush()
        #expect(packets.count == 75)
        // When asked, and 2 s after the last one (the GOP restarts at a forced keyframe, as x264's does).
        #expect(packets.filter(\.isKeyframe).map(\.pts) == [0, 10, 70])

        // Annex-B with the parameter sets in front: what ffmpeg reads as raw HEVC.
        var stream = Data()
        for unit in encoder.parameterSets + packets.flatMap({ AVCFormat.units(avcc: $0.data) }) {
            stream.append(contentsOf: [0, 0, 0, 1])
            stream.append(unit)
        }
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let file = dir.appendingPathComponent("out.hevc")
        try stream.write(to: file)
        let probe = try TestSupport.tool("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v", "-show_entries",
                                                    "stream=codec_name,profile,width,height,nb_read_frames", "-of", "csv=p=0", file.path])
        #expect(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "hevc,Main,320,240,75", "\(probe.stdout) \(probe.stderr)")
        let decode = try TestSupport.tool("ffmpeg", ["-v", "error", "-i", file.path, "-f", "null", "-"])
        #expect(decode.status == 0 && decode.stderr.isEmpty, "\(decode.stderr)")
    }

    @Test func theRecordCarriesProfileChromaAndTheParameterSets() throws {
        let encoder = try HEVCEncoder(VideoSettings(width: 160, height: 96, fps: 30))
        let r = [UInt8](encoder.decoderConfiguration)
        #expect(r[0] == 1, "configurationVersion")
        #expect(r[1] & 0x1F == 1, "general_profile_idc: Main")
        #expect(r[12] > 0, "general_level_idc")
        #expect(r[16] & 3 == 1 && r[17] & 7 == 0 && r[18] & 7 == 0, "4:2:0, 8-bit")
        #expect(r[21] & 3 == 3, "4-byte NAL lengths")
        #expect(r[22] == 3, "three arrays")
        // VPS, SPS, PPS in order, each one unit, whole.
        var at = 23
        for (type, unit) in zip([32, 33, 34] as [UInt8], encoder.parameterSets) {
            #expect(r[at] & 0x3F == type && r[at + 1] == 0 && r[at + 2] == 1)
            let n = Int(r[at + 3]) << 8 | Int(r[at + 4])
            #expect(Data(r[(at + 5)..<(at + 5 + n)]) == unit)
            at += 5 + n
        }
        #expect(at == r.count)
        let info = try #require(HEVCFormat.spsInfo(encoder.parameterSets[1]))
        #expect(info.chromaFormat == 1 && info.profileTierLevel == Array(r[1...12]))
    }

    @Test func emulationPreventionBytesAreRemoved() {
        #expect(HEVCFormat.unescaped([0, 0, 3, 1, 0, 0, 3, 0, 0, 3]) == [0, 0, 1, 0, 0, 0, 0])
        var bits = HEVCFormat.BitReader([0b1010_0110, 0b0100_0000], byteOffset: 0)
        #expect(bits.ue() == 0 && bits.ue() == 1 && bits.ue() == 2 && bits.ue() == 3)
    }
}
