import AnchorCore
@testable import AnchorMedia
import AnchorTestSupport
import Foundation
import Testing

/// A moving gradient, BGRA.
func testFrame(_ w: Int, _ h: Int, _ n: Int) -> [UInt8] {
    var px = [UInt8](repeating: 255, count: w * h * 4)
    for y in 0..<h {
        for x in 0..<w {
            let i = (y * w + x) * 4
            px[i] = UInt8((x + n * 4) & 0xFF); px[i + 1] = UInt8((y * 2) & 0xFF); px[i + 2] = UInt8((x + y + n) & 0xFF)
        }
    }
    return px
}

@Suite struct AVCFormatTests {
    @Test func avccAndAnnexB() {
        let units = [Data([0x67, 1, 2]), Data([0x68, 3]), Data([0x65, 4, 5, 6])]
        #expect(units.map(AVCFormat.type) == [7, 8, 5])
        let avcc = AVCFormat.avcc(units)
        #expect(avcc == Data([0, 0, 0, 3, 0x67, 1, 2, 0, 0, 0, 2, 0x68, 3, 0, 0, 0, 4, 0x65, 4, 5, 6]))
        #expect(AVCFormat.units(avcc: avcc) == units)
        // A truncated tail is dropped, not read past.
        #expect(AVCFormat.units(avcc: avcc.dropLast(2)) == Array(units.prefix(2)))
        #expect(AVCFormat.annexB(avcc: avcc) == Data([0, 0, 0, 1, 0x67, 1, 2, 0, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 5, 6]))
    }

    @Test func decoderConfigurationRecord() {
        let sps = Data([0x67, 0x64, 0x00, 0x1F, 0xAC]), pps = Data([0x68, 0xEE, 0x3C, 0x80])
        let record = [UInt8](AVCFormat.decoderConfigurationRecord(sps: sps, pps: pps))
        #expect(record[0...5] == [1, 0x64, 0x00, 0x1F, 0xFF, 0xE1])
        #expect(record[6...7] == [0, 5] && record[13] == 1 && record[14...15] == [0, 4])
        #expect(record.count == 6 + 2 + 5 + 1 + 2 + 4)
    }
}

@Suite struct EncoderTests {
    @Test func keyframesEveryTwoSecondsAndOnRequest() throws {
        var settings = VideoSettings(width: 160, height: 96, fps: 10)
        settings.bitrateKbps = 300
        let encoder = try VideoEncoder(settings)
        let record = [UInt8](encoder.decoderConfiguration)
        #expect(record.first == 1 && record[1] == 100) // High profile
        var packets: [EncodedPacket] = []
        for n in 0..<50 {
            let frame = testFrame(160, 96, n)
            if n == 33 { encoder.forceKeyframe() }
            packets += frame.withUnsafeBytes { encoder.encode(bgra: $0.baseAddress!, stride: 160 * 4, index: Int64(n)) }
        }
        packets += encoder.flush()
        #expect(packets.count == 50)
        let keys = packets.filter(\.isKeyframe).map(\.pts)
        // Every 2 s (20 frames), plus the forced one; the interval restarts from a forced keyframe.
        #expect(keys == [0, 20, 33])
        // Live settings: no B-frames, so decoding order is presentation order.
        #expect(packets.allSatisfy { $0.pts == $0.dts })
        // Samples are AVCC: the lengths add up to the packet.
        for p in packets {
            var i = 0
            let b = [UInt8](p.data)
            while i + 4 <= b.count { i += 4 + (Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])) }
            #expect(i == b.count)
        }
        #expect(throws: MediaError.self) { try VideoEncoder(VideoSettings(width: 161, height: 96, fps: 10)) }
    }

    /// Quality-targeted rate control: a still picture costs a fraction of a constant rate, a
    /// moving one takes more, and no second of it goes over the ceiling (VBV); keyframes stay
    /// every 2 s. A noisy picture at the ceiling rate shows the ceiling holds.
    @Test func aQualityTargetSpendsLittleOnStillFramesAndKeepsUnderTheCeiling() throws {
        let (w, h, fps) = (320, 192, 10)
        func encode(_ settings: VideoSettings, frames: Int, picture: (Int) -> [UInt8]) throws -> [EncodedPacket] {
            let encoder = try VideoEncoder(settings)
            var packets: [EncodedPacket] = []
            for n in 0..<frames {
                packets += picture(n).withUnsafeBytes { encoder.encode(bgra: $0.baseAddress!, stride: w * 4, index: Int64(n)) }
            }
            return packets + encoder.flush()
        }
        func bytes(_ p: [EncodedPacket]) -> Int { p.reduce(0) { $0 + $1.data.count } }
        var cbr = VideoSettings(width: w, height: h, fps: fps)
        cbr.bitrateKbps = 800
        var crf = cbr
        crf.crf = 26
        let still = testFrame(w, h, 0)
        let stillCBR = try encode(cbr, frames: 60, picture: { _ in still })
        let stillCRF = try encode(crf, frames: 60, picture: { _ in still })
        let movingCRF = try encode(crf, frames: 60, picture: { testFrame(w, h, $0) })
        #expect(bytes(stillCRF) * 2 < bytes(stillCBR), "still: CRF \(bytes(stillCRF)) B, CBR \(bytes(stillCBR)) B")
        #expect(bytes(movingCRF) > bytes(stillCRF) * 2, "moving: \(bytes(movingCRF)) B, still \(bytes(stillCRF)) B")
        #expect(movingCRF.filter(\.isKeyframe).map(\.pts) == [0, 20, 40])

        // Noise wants far more than 300 kb/s at CRF 10: the decoder's buffer (300 kb/s in, one
        // second deep, starting 90 % full as x264 assumes) never runs dry, and over three
        // seconds the stream spends no more than the ceiling allows.
        var capped = crf
        capped.crf = 10
        capped.bitrateKbps = 300
        var rng = SystemRandomNumberGenerator()
        let noise = (0..<30).map { _ in (0..<(w * h * 4)).map { _ in UInt8.random(in: 0...255, using: &rng) } }
        let noisy = try encode(capped, frames: 30, picture: { noise[$0] })
        var fullness = 0.9 * 300_000, lowest = fullness
        for p in noisy {
            fullness -= Double(p.data.count * 8)
            lowest = min(lowest, fullness)
            fullness = min(300_000, fullness + 300_000 / Double(fps))
        }
        #expect(lowest >= -8 * 64, "the buffer ran dry by \(-lowest) bits")
        #expect(bytes(noisy) * 8 <= 3 * 300_000 + 270_000, "\(bytes(noisy) * 8) bits in 3 s")
        var wrong = crf
        wrong.crf = 60
        #expect(throws: MediaError.self) { try VideoEncoder(wrong) }
    }

    @Test func profilesAreNamedAndResolveToSettings() {
        #expect(EncodingProfile.named("narrowband") == .narrowband && EncodingProfile.named("DOUYIN") == .douyin && EncodingProfile.named("x") == nil)
        let portrait = EncodingProfile.douyin.settings()
        #expect(portrait.width == 720 && portrait.height == 1280 && portrait.crf == 23 && portrait.bitrateKbps == 4_000)
        #expect(EncodingProfile.twitch.settings().crf == nil && EncodingProfile.all.map(\.name).count == Set(EncodingProfile.all.map(\.name)).count)
    }

    /// Damage reaches x264 as "this macroblock did not change": told the truth it shows the new
    /// picture; told that a changed block did not change, it keeps the old one there, which shows
    /// the hint is really used (and why the renderer's damage must cover every change).
    @Test func unchangedMacroblockHintsAreUsed() throws {
        let (w, h) = (160, 96)
        let before = testFrame(w, h, 0)
        var after = before
        let first = PixelRect(x: 16, y: 16, width: 32, height: 32), second = PixelRect(x: 96, y: 48, width: 32, height: 32)
        for r in [first, second] {
            for y in r.y..<r.maxY { for x in r.x..<r.maxX { for c in 0..<3 { after[(y * w + x) * 4 + c] = 255 } } }
        }
        /// Luma of the last frame, decoded by ffmpeg, when frame 5 comes with `hint`.
        func lastFrameLuma(hint: [PixelRect]) throws -> [UInt8] {
            let encoder = try VideoEncoder(VideoSettings(width: w, height: h, fps: 10))
            let converter = ColorConverter(width: w, height: h), frame = I420Frame(width: w, height: h)
            let record = [UInt8](encoder.decoderConfiguration)
            let spsLength = Int(record[6]) << 8 | Int(record[7])
            let sps = Data(record[8..<(8 + spsLength)])
            let ppsAt = 8 + spsLength + 1
            let pps = Data(record[(ppsAt + 2)..<(ppsAt + 2 + (Int(record[ppsAt]) << 8 | Int(record[ppsAt + 1])))])
            var stream = AVCFormat.annexB(avcc: AVCFormat.avcc([sps, pps]))
            for n in 0..<10 {
                var changed = Damage(width: w, height: h)
                if n == 5 { for r in hint { changed.add(r) } }
                (n < 5 ? before : after).withUnsafeBytes { converter.convert(bgra: $0.baseAddress!, stride: w * 4, into: frame) }
                for p in encoder.encode(frame, index: Int64(n), changed: n == 0 ? nil : changed) { stream += AVCFormat.annexB(avcc: p.data) }
            }
            for p in encoder.flush() { stream += AVCFormat.annexB(avcc: p.data) }
            let dir = try TestSupport.temporaryDirectory()
            defer { TestSupport.cleanUp(dir) }
            let path = dir.appendingPathComponent("hint.h264")
            try stream.write(to: path)
            let raw = dir.appendingPathComponent("last.gray")
            let decode = try TestSupport.tool("ffmpeg", ["-v", "error", "-f", "h264", "-i", path.path, "-vf", "select=eq(n\\,9)", "-f", "rawvideo",
                                                         "-pix_fmt", "gray", raw.path])
            #expect(decode.status == 0 && decode.stderr.isEmpty, "\(decode.stderr)")
            return [UInt8](try Data(contentsOf: raw))
        }
        func mean(_ luma: [UInt8], _ r: PixelRect) -> Double {
            let inner = PixelRect(x: r.x + 4, y: r.y + 4, width: r.width - 8, height: r.height - 8)
            var sum = 0
            for y in inner.y..<inner.maxY { for x in inner.x..<inner.maxX { sum += Int(luma[y * w + x]) } }
            return Double(sum) / Double(inner.area)
        }
        let truthful = try lastFrameLuma(hint: [first, second])
        #expect(truthful.count == w * h)
        #expect(mean(truthful, first) > 225 && mean(truthful, second) > 225)
        let lying = try lastFrameLuma(hint: [first])
        #expect(mean(lying, first) > 225)
        #expect(mean(lying, second) < 200, "the block said to be unchanged kept the old picture")
    }

    @Test func aacFramesAreTimedInSamples() throws {
        let audio = try AudioEncoder()
        #expect(audio.frameSize == 1024)
        #expect(!audio.extradata.isEmpty)
        let tone = (0..<48_000).map { Float(sin(Double($0) * 2 * .pi * 440 / 48_000) * 0.3) }
        var packets = audio.encode(tone[...])
        packets += audio.flush()
        #expect(packets.count >= 47 && packets.count <= 50)
        for (a, b) in zip(packets, packets.dropFirst()) { #expect(b.pts - a.pts == 1024) }
        #expect(packets.first?.pts == -Int64(audio.primingSamples))
    }
}

@Suite struct MP4WriterTests {
    @Test func writesAFileFFprobeReadsWithChapters() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let path = dir.appendingPathComponent("t.mp4").path
        let video = try VideoEncoder(VideoSettings(width: 160, height: 96, fps: 10))
        let audio = try AudioEncoder()
        let writer = try MP4Writer(path: path, video: video, audio: audio, title: "Test show",
                                   chapters: [.init(title: "One", start: 0, end: 1500), .init(title: "Two", start: 1500, end: 3000)])
        var audioPackets = audio.encode(ArraySlice((0..<(48_000 * 3)).map { Float(sin(Double($0) / 20) * 0.2) })) + audio.flush()
        for n in 0..<30 {
            let frame = testFrame(160, 96, n)
            for p in frame.withUnsafeBytes({ video.encode(bgra: $0.baseAddress!, stride: 640, index: Int64(n)) }) { try writer.write(p) }
            while let a = audioPackets.first, a.pts < Int64((n + 1) * 4_800) { try writer.write(a); audioPackets.removeFirst() }
        }
        for p in video.flush() { try writer.write(p) }
        for a in audioPackets { try writer.write(a) }
        try writer.finish(endMilliseconds: 3000)
        let probe = try TestSupport.tool("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height:format_tags=title", "-show_chapters", "-of", "compact", path])
        #expect(probe.stdout.contains("codec_name=h264|width=160|height=96"))
        #expect(probe.stdout.contains("codec_name=aac"))
        #expect(probe.stdout.contains("tag:title=One") && probe.stdout.contains("tag:title=Two"))
        #expect(probe.stdout.contains("tag:title=Test show"))
        let decode = try TestSupport.tool("ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"])
        #expect(decode.stderr.isEmpty && decode.status == 0)
    }

    @Test func unwritablePathIsAClearError() throws {
        let video = try VideoEncoder(VideoSettings(width: 160, height: 96, fps: 10))
        let audio = try AudioEncoder()
        do {
            _ = try MP4Writer(path: "/nonexistent/dir/x.mp4", video: video, audio: audio, title: "x", chapters: [])
            Issue.record("an unwritable path was accepted")
        } catch {
            #expect("\(error)".contains("cannot write /nonexistent/dir/x.mp4"))
        }
    }
}

@Suite struct ColorConverterTests {
    /// A soft scene with edges: gradients, a saturated disc and text-like stripes, BGRA opaque.
    static func scene(_ w: Int, _ h: Int, shift: Int = 0) -> [UInt8] {
        var px = [UInt8](repeating: 255, count: w * h * 4)
        for y in 0..<h {
            for x in 0..<w {
                let i = (y * w + x) * 4
                let dx = x - w / 3 - shift, dy = y - h / 2
                let disc = dx * dx + dy * dy < (h / 4) * (h / 4)
                let stripe = (x / 3 + y / 7) % 5 == 0 && y > h * 3 / 4
                px[i] = disc ? 40 : UInt8(200 * x / w + 30)
                px[i + 1] = stripe ? 250 : disc ? 60 : UInt8(180 * y / h + 40)
                px[i + 2] = disc ? 230 : UInt8(120 + 100 * (x + y) / (w + h))
            }
        }
        return px
    }

    /// Same numbers as ffmpeg's own BT.709 limited-range conversion, within rounding; chroma
    /// (our 2×2 mean against its filter) close, with U and V the right way round.
    @Test func matchesFFmpegsConversion() throws {
        let (w, h) = (320, 180)
        let bgra = Self.scene(w, h)
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let input = dir.appendingPathComponent("in.bgra"), output = dir.appendingPathComponent("out.yuv")
        try Data(bgra).write(to: input)
        let ff = try TestSupport.tool("ffmpeg", ["-v", "error", "-f", "rawvideo", "-pix_fmt", "bgra", "-s", "\(w)x\(h)", "-i", input.path,
                                                 "-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=area", "-pix_fmt", "yuv420p", "-f", "rawvideo", output.path])
        #expect(ff.status == 0, "\(ff.stderr)")
        let reference = [UInt8](try Data(contentsOf: output))
        #expect(reference.count == w * h * 3 / 2)

        let frame = I420Frame(width: w, height: h)
        bgra.withUnsafeBytes { ColorConverter(width: w, height: h).convert(bgra: $0.baseAddress!, stride: w * 4, into: frame) }
        var worstY = 0, chromaError = 0.0
        for y in 0..<h {
            for x in 0..<w { worstY = max(worstY, abs(Int(frame.planes.0[y * frame.strides.0 + x]) - Int(reference[y * w + x]))) }
        }
        let cw = w / 2, ch = h / 2
        for (plane, stride, offset) in [(frame.planes.1, frame.strides.1, w * h), (frame.planes.2, frame.strides.2, w * h + cw * ch)] {
            for y in 0..<ch {
                for x in 0..<cw { chromaError += Double(abs(Int(plane[y * stride + x]) - Int(reference[offset + y * cw + x]))) }
            }
        }
        chromaError /= Double(2 * cw * ch)
        #expect(worstY <= 1, "luma differs by up to \(worstY)")
        #expect(chromaError < 1.5, "chroma differs by \(chromaError) on average")
    }

    /// Converting only the changed rectangle of a picture whose other pixels were converted
    /// before gives the whole-picture conversion exactly.
    @Test func convertingTheDamageEqualsConvertingEverything() {
        let (w, h) = (256, 144)
        let before = Self.scene(w, h), after = Self.scene(w, h, shift: 9)
        let converter = ColorConverter(width: w, height: h)
        let incremental = I420Frame(width: w, height: h), whole = I420Frame(width: w, height: h)
        before.withUnsafeBytes { converter.convert(bgra: $0.baseAddress!, stride: w * 4, into: incremental) }
        // The disc moved 9 pixels right: everything that changed lies in its rows, x 40…140.
        var damage = Damage(width: w, height: h)
        damage.add(PixelRect(x: 41, y: 35, width: 99, height: 75))
        #expect(damage.rects == [PixelRect(x: 40, y: 34, width: 100, height: 76)])
        after.withUnsafeBytes {
            converter.convert(bgra: $0.baseAddress!, stride: w * 4, into: incremental, damage: damage)
            converter.convert(bgra: $0.baseAddress!, stride: w * 4, into: whole)
        }
        func planes(_ f: I420Frame) -> [UInt8] {
            (0..<h).flatMap { y in (0..<w).map { f.planes.0[y * f.strides.0 + $0] } }
                + (0..<(h / 2)).flatMap { y in (0..<(w / 2)).flatMap { [f.planes.1[y * f.strides.1 + $0], f.planes.2[y * f.strides.2 + $0]] } }
        }
        #expect(planes(incremental) == planes(whole))
    }
}
