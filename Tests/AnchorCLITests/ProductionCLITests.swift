import AnchorTestSupport
import Foundation
import Testing

extension HeavyCLITests {
/// Clips (`@play`) and music beds, end to end: files made by ffmpeg and sox in the test, a
/// show that plays them, and the output checked by ffprobe and ffmpeg.
@Suite struct ProductionCLITests {
    /// A folder with a show that opens on a full-screen clip (1 s each of red, green and blue,
    /// with a 1 kHz tone at 44.1 kHz stereo), then plays it again in a window while the host talks.
    static func makeShow(music: Bool, loop: Bool = false) throws -> URL {
        let dir = try TestSupport.temporaryDirectory()
        let colours = ["-f", "lavfi", "-i", "color=c=red:s=320x180:r=30:d=1", "-f", "lavfi", "-i", "color=c=lime:s=320x180:r=30:d=1",
                       "-f", "lavfi", "-i", "color=c=blue:s=320x180:r=30:d=1", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=44100:duration=3",
                       "-filter_complex", "[0][1][2]concat=n=3:v=1:a=0[v]", "-map", "[v]", "-map", "3", "-ac", "2",
                       "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"]
        try TestSupport.ffmpeg(colours, writing: dir.appendingPathComponent("colours.mp4").path)
        // A steady bed (pink noise), 8 s: shorter than the show, so it has to loop.
        let bed = try TestSupport.tool("sox", ["-n", "-r", "44100", "-c", "2", dir.appendingPathComponent("bed.ogg").path, "synth", "8", "pinknoise", "vol", "0.3"])
        try #require(bed.status == 0, "\(bed.stderr)")
        let show = """
        ---
        title: Clips
        avatar: mika
        seed: 3
        loop: \(loop)
        \(music ? "music: bed.ogg" : "")
        ---

        # Spot
        @play colours.mp4 full
        Welcome back everyone, that was our brand new advert for tonight.
        @play colours.mp4 window
        This window keeps playing while I go on talking about the serum and its price.
        Thank you for staying with us so late, you are all wonderful.
        """
        try show.write(to: dir.appendingPathComponent("clips.show.md"), atomically: true, encoding: .utf8)
        return dir
    }

    /// The RGB of a frame's pixel at `t` seconds, decoded by ffmpeg.
    static func pixel(_ video: String, at t: Double, x: Int, y: Int) throws -> (r: Int, g: Int, b: Int) {
        let run = try TestSupport.tool("ffmpeg", ["-v", "error", "-ss", String(format: "%.3f", t), "-i", video, "-frames:v", "1",
                                                  "-vf", "crop=2:2:\(x):\(y)", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        let bytes = Array(run.stdout.utf8)
        guard bytes.count >= 3 else { return (-1, -1, -1) }
        return (Int(bytes[0]), Int(bytes[1]), Int(bytes[2]))
    }

    static func colour(_ p: (r: Int, g: Int, b: Int)) -> String {
        if p.r > 190 && p.g < 70 && p.b < 70 { return "red" }
        if p.g > 190 && p.r < 70 && p.b < 70 { return "green" }
        if p.b > 190 && p.r < 70 && p.g < 70 { return "blue" }
        return "other(\(p.r),\(p.g),\(p.b))"
    }

    /// Per-frame colour of one pixel over the whole file (a 2x2 crop: 4:2:0 cannot be cropped to one pixel).
    static func colours(_ video: String, x: Int, y: Int) throws -> [String] {
        let raw = video + ".px"
        // Each frame the file has, once (a recording that starts late is not padded to a constant rate).
        let run = try TestSupport.tool("ffmpeg", ["-v", "error", "-y", "-i", video, "-fps_mode", "passthrough", "-vf", "crop=2:2:\(x):\(y)",
                                                  "-f", "rawvideo", "-pix_fmt", "rgb24", raw])
        #expect(run.status == 0, "\(run.stderr)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        return stride(from: 0, to: bytes.count - 11, by: 12).map { colour((Int(bytes[$0]), Int(bytes[$0 + 1]), Int(bytes[$0 + 2]))) }
    }

    /// Each video frame's presentation time, as ffprobe reads it.
    static func frameTimes(_ video: String) throws -> [Double] {
        let run = try TestSupport.tool("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "frame=pts_time", "-of", "csv=p=0", video])
        return run.stdout.split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    @Test func aFullScreenClipAndAWindowClipShowTheirFramesWhereTheScriptSays() throws {
        let dir = try Self.makeShow(music: false)
        defer { TestSupport.cleanUp(dir) }
        let mp4 = dir.appendingPathComponent("out.mp4").path
        let run = try TestSupport.anchor(["preview", dir.appendingPathComponent("clips.show.md").path, "-o", mp4, "--size", "320x180"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(try PreviewCLITests.decodeErrors(mp4).isEmpty)
        // Full screen from the lead-in (0.5 s): red, green, blue a second each, frame for frame.
        let full = try Self.colours(mp4, x: 20, y: 20)
        try #require(full.count > 300, "\(full.count) frames")
        #expect(full[14] != "red" && full[15] == "red" && full[44] == "red" && full[45] == "green" && full[75] == "blue" && full[104] == "blue", "\(full.prefix(110))")
        #expect(full[105...].allSatisfy { !$0.hasPrefix("red") && $0 != "green" && $0 != "blue" }, "the clip shows after it ended")
        // The window (top right in landscape), while the host talks: 30 frames of each colour, in order.
        let window = try Self.colours(mp4, x: 250, y: 40)
        let afterFull = Array(window[105...])
        let firstRed = try #require(afterFull.firstIndex(of: "red"), "no window clip: \(afterFull)")
        let shown = afterFull[firstRed..<min(afterFull.count, firstRed + 90)]
        #expect(shown.filter { $0 == "red" }.count == 30 && shown.filter { $0 == "green" }.count == 30 && shown.filter { $0 == "blue" }.count == 30, "\(shown)")
        // The presenter is on screen beside the window (left half is not the clip).
        #expect(Self.colour(try Self.pixel(mp4, at: Double(105 + firstRed + 45) / 30, x: 100, y: 120)).hasPrefix("other"))
        // The clip's sound, at the show's loudness (−16 LUFS ≈ −16 dB RMS for a 1 kHz tone) while it plays full screen.
        let pcm = try PreviewCLITests.pcm(mp4)
        let during = pcm[(48_000 * 6 / 10)..<(48_000 * 34 / 10)]
        let rms = 10 * log10(during.reduce(0) { $0 + Double($1 * $1) } / Double(during.count))
        #expect(abs(rms - -16) < 1.5, "clip sound at \(rms) dB RMS")
    }

    /// What airs is what the preview shows: the same clip frames at the same show times, through nginx.
    @Test func onAirTheClipPlaysAtTheSameFramesAsInThePreview() throws {
        let dir = try Self.makeShow(music: true)
        defer { TestSupport.cleanUp(dir) }
        let nginx = try NginxRTMP()
        defer { nginx.stop() }
        let show = dir.appendingPathComponent("clips.show.md").path
        let live = try TestSupport.anchor(["live", show, "--duration", "5s", "--size", "320x180", "--push", "rtmp://127.0.0.1:\(nginx.port)/live/clips"])
        #expect(live.status == 0, "\(live.stdout)\n\(live.stderr)")
        let recording = try #require(nginx.recordings.first).path
        #expect(try LiveCLITests.decodeErrors(recording).isEmpty)
        let preview = dir.appendingPathComponent("p.mp4").path
        #expect(try TestSupport.anchor(["preview", show, "-o", preview, "--size", "320x180", "--duration", "5s"]).status == 0)
        let aired = try Self.colours(recording, x: 20, y: 20), previewed = try Self.colours(preview, x: 20, y: 20)
        let airedTimes = try Self.frameTimes(recording), previewTimes = try Self.frameTimes(preview)
        try #require(aired.count >= 120 && aired.count == airedTimes.count && previewed.count == previewTimes.count, "\(aired.count) frames aired, \(airedTimes.count) times; previewed \(previewed.count), \(previewTimes.count) times")
        /// When each colour first shows (seconds, by the file's timestamps) and for how many frames.
        let runs = { (c: [String], t: [Double]) in ["red", "green", "blue"].map { colour in (c.firstIndex(of: colour).map { t[$0] } ?? -1, c.filter { $0 == colour }.count) } }
        let p = runs(previewed, previewTimes), a = runs(aired, airedTimes)
        #expect(p.map(\.1) == [30, 30, 30] && abs(p[0].0 - 0.5) < 0.001, "preview \(p)")
        // nginx records from the first packet it gets (the show started while the publish was
        // being set up): on the stream's own clock, each colour airs within a frame of the preview.
        let began = try #require(live.stdout.split(separator: "\n").first { $0.contains("session began at stream time") }
            .flatMap { Double($0.split(separator: " ").dropLast().last ?? "") }, "\(live.stdout)")
        #expect(a.map(\.1) == [30, 30, 30] && zip(a, p).allSatisfy { abs($0.0 + began - $1.0) < 1.0 / 30 }, "aired \(a) from \(began) s, previewed \(p)")
    }

    @Test func theVoiceStaysTwelveDecibelsOverTheLoopedBedWithoutPumping() throws {
        let quiet = try Self.makeShow(music: false), bedded = try Self.makeShow(music: true)
        defer { TestSupport.cleanUp(quiet); TestSupport.cleanUp(bedded) }
        var pcm: [[Float]] = []
        for dir in [quiet, bedded] {
            let wav = dir.appendingPathComponent("mix.wav").path
            let run = try TestSupport.anchor(["preview", dir.appendingPathComponent("clips.show.md").path, "-o", dir.appendingPathComponent("o.mp4").path,
                                              "--size", "160x90", "--audio-out", wav])
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            pcm.append(try PreviewCLITests.pcm(wav))
        }
        // Both renders say and play the same: what the bed adds is the difference.
        let voice = pcm[0], mix = pcm[1]
        try #require(voice.count == mix.count && voice.count > 48_000 * 12)
        let bed = zip(mix, voice).map { $0 - $1 }
        let speechBand = { (x: [Float]) in BandPass.filter(x, low: 300, high: 3400) }
        let v = speechBand(voice), b = speechBand(bed)
        // 20 ms windows where the host (or the clip) is heard, after the first 100 ms of each stretch.
        let w = 960
        var voiceEnergy = 0.0, bedEnergy = 0.0, loudRun = 0
        var bedLevels: [Double] = []
        for k in 0..<(voice.count / w) {
            let range = (k * w)..<((k + 1) * w)
            let e = voice[range].reduce(0.0) { $0 + Double($1 * $1) } / Double(w)
            if e > 1e-4 { loudRun += 1 } else { loudRun = 0 }
            guard loudRun > 5 else { continue }
            voiceEnergy += v[range].reduce(0.0) { $0 + Double($1 * $1) }
            let be = b[range].reduce(0.0) { $0 + Double($1 * $1) }
            bedEnergy += be
            bedLevels.append(10 * log10(bed[range].reduce(0.0) { $0 + Double($1 * $1) } / Double(w) + 1e-12))
        }
        let margin = 10 * log10(voiceEnergy / bedEnergy)
        #expect(margin >= 12, "speech band: voice \(margin) dB over the bed")
        // No pumping: while someone is heard, the bed stays within a few dB of its level.
        let sorted = bedLevels.sorted(), median = sorted[sorted.count / 2]
        let steady = bedLevels.filter { abs($0 - median) < 3 }.count
        #expect(Double(steady) / Double(bedLevels.count) > 0.9, "bed \(median) dB; \(bedLevels.count - steady) of \(bedLevels.count) windows off by 3 dB")
        // The bed plays (louder) in the lead-in, and still after its 8 s file ran out: it loops.
        let lead = bed[0..<(48_000 * 4 / 10)], late = bed[(bed.count - 48_000)...]
        let level = { (x: ArraySlice<Float>) in 10 * log10(x.reduce(0.0) { $0 + Double($1 * $1) } / Double(x.count)) }
        #expect(level(lead) > median + 8, "bed \(level(lead)) dB alone vs \(median) dB under the voice")
        #expect(level(late) > -60, "the bed stopped after its file ended")
    }

    @Test func checkReportsMissingUndecodableAndTooLongClipsAtTheirLine() throws {
        let dir = try Self.makeShow(music: false)
        defer { TestSupport.cleanUp(dir) }
        try Data("not a video".utf8).write(to: dir.appendingPathComponent("broken.mp4"))
        let show = dir.appendingPathComponent("bad.show.md")
        try """
        ---
        title: Bad clips
        music: nothing.ogg
        ---
        # A
        @play missing.mp4
        @play broken.mp4 window
        @play colours.mp4 from 2s for 5s
        @play colours.mp4 from 9s
        Hello.
        """.write(to: show, atomically: true, encoding: .utf8)
        let run = try TestSupport.anchor(["check", show.path])
        #expect(run.status == 1)
        let out = run.stdout + run.stderr
        #expect(out.contains("bad.show.md:3:1: error: cannot play 'nothing.ogg': no such file"), "\(out)")
        #expect(out.contains("bad.show.md:6:1: error: cannot play 'missing.mp4': no such file"), "\(out)")
        #expect(out.contains("bad.show.md:7:1: error: cannot play 'broken.mp4'"), "\(out)")
        #expect(out.contains("bad.show.md:8:1: error: 'colours.mp4' is 3s long; from 2s there is 1s, not the 5s 'for' asks"), "\(out)")
        #expect(out.contains("bad.show.md:9:1: error: 'from 9s' is past the end of 'colours.mp4'"), "\(out)")
        // The same show does not render: nothing half-made is left.
        let preview = try TestSupport.anchor(["preview", show.path, "-o", dir.appendingPathComponent("x.mp4").path])
        #expect(preview.status == 1 && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.mp4").path))
    }

    @Test func tenMinutesOfClipsAndMusicKeepSoundAndPictureWithinAFrame() throws {
        let dir = try Self.makeShow(music: true, loop: true)
        defer { TestSupport.cleanUp(dir) }
        let mp4 = dir.appendingPathComponent("ten.mp4").path
        let run = try TestSupport.anchor(["preview", dir.appendingPathComponent("clips.show.md").path, "-o", mp4, "--duration", "10m",
                                          "--size", "96x64", "--bitrate", "60"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let p = try PreviewCLITests.probe(mp4)
        let video = try #require(p.double(p.stream("video"), "duration")), audio = try #require(p.double(p.stream("audio"), "duration"))
        #expect(abs(video - 600) < 1e-6)
        #expect(abs(video - audio) < 1.0 / 30, "video \(video) s, audio \(audio) s")
        #expect(try PreviewCLITests.decodeErrors(mp4).isEmpty)
        // The clip still plays on a late pass: after 9 minutes, full-screen red, then green, then
        // blue (dim at 60 kb/s: judged by the strongest channel), a second each.
        let late = try Self.colours(mp4, x: 4, y: 4).map { c -> Character in
            let v = c.dropFirst(6).dropLast().split(separator: ",").compactMap { Int($0) }
            guard v.count == 3 else { return c.first! }
            return v[0] > 60 && v[0] > 2 * max(v[1], v[2]) ? "r" : v[1] > 30 && v[1] > 2 * max(v[0], v[2]) ? "g" : v[2] > 60 && v[2] > 2 * max(v[0], v[1]) ? "b" : "-"
        }
        try #require(late.count == 18_000, "\(late.count) frames")
        let tail = String(late[(540 * 30)...])
        #expect(tail.contains(String(repeating: "r", count: 29) + "g") && tail.contains("g" + String(repeating: "b", count: 29)), "no red→green→blue run after 9 minutes")
    }
}
}

/// A band-pass for measuring speech-band energy: RBJ biquads, high-pass then low-pass, twice each.
enum BandPass {
    static func filter(_ x: [Float], low: Double, high: Double, rate: Double = 48_000) -> [Float] {
        var y = x.map(Double.init)
        for _ in 0..<2 {
            y = biquad(y, coefficients(kind: .high, f: low, rate: rate))
            y = biquad(y, coefficients(kind: .low, f: high, rate: rate))
        }
        return y.map(Float.init)
    }

    enum Kind { case low, high }

    static func coefficients(kind: Kind, f: Double, rate: Double) -> [Double] {
        let w = 2 * Double.pi * f / rate, alpha = sin(w) / (2 * 0.7071), c = cos(w)
        let b: [Double] = kind == .low ? [(1 - c) / 2, 1 - c, (1 - c) / 2] : [(1 + c) / 2, -(1 + c), (1 + c) / 2]
        let a0 = 1 + alpha
        return [b[0] / a0, b[1] / a0, b[2] / a0, -2 * c / a0, (1 - alpha) / a0]
    }

    static func biquad(_ x: [Double], _ k: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: x.count)
        var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0
        for i in x.indices {
            let y = k[0] * x[i] + k[1] * x1 + k[2] * x2 - k[3] * y1 - k[4] * y2
            x2 = x1; x1 = x[i]; y2 = y1; y1 = y
            out[i] = y
        }
        return out
    }
}
