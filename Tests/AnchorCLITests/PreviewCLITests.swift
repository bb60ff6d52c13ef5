import AnchorTestSupport
import Foundation
import Testing

extension HeavyCLITests {
/// `anchor preview`, checked by ffprobe and ffmpeg on the files it writes.
@Suite struct PreviewCLITests {
    struct Probe {
        var streams: [[String: Any]]
        var chapters: [[String: Any]]
        var format: [String: Any]

        func stream(_ type: String) -> [String: Any]? { streams.first { $0["codec_type"] as? String == type } }
        func double(_ dict: [String: Any]?, _ key: String) -> Double? { (dict?[key] as? String).flatMap(Double.init) }
    }

    static func probe(_ path: String) throws -> Probe {
        let run = try TestSupport.tool("ffprobe", ["-v", "error", "-print_format", "json", "-show_streams", "-show_chapters", "-show_format", path])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return Probe(streams: json["streams"] as? [[String: Any]] ?? [], chapters: json["chapters"] as? [[String: Any]] ?? [],
                     format: json["format"] as? [String: Any] ?? [:])
    }

    /// `ffmpeg -v error -i FILE -f null -` prints nothing for a clean file.
    static func decodeErrors(_ path: String) throws -> String {
        let run = try TestSupport.tool("ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"])
        return run.stderr + (run.status == 0 ? "" : "exit \(run.status)")
    }

    /// Mono 48 kHz float samples of a file's audio, decoded by ffmpeg.
    static func pcm(_ path: String) throws -> [Float] {
        let raw = path + ".f32"
        let run = try TestSupport.tool("ffmpeg", ["-v", "error", "-y", "-i", path, "-vn", "-ac", "1", "-ar", "48000", "-f", "f32le", raw])
        #expect(run.status == 0, "\(run.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: raw))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    @Test func landscapeMP4HasH264AACTheSizeFPSAndDurationAndItsAudioIsTheSpeech() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let mp4 = dir.appendingPathComponent("a.mp4").path, wav = dir.appendingPathComponent("a.wav").path
        let run = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", mp4, "--duration", "4s", "--size", "320x180", "--audio-out", wav])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("120 frames, 320x180@30"))
        #expect(run.stderr.contains("progress: 100%"), "plain progress lines when not on a terminal")
        let p = try Self.probe(mp4)
        let v = try #require(p.stream("video")), a = try #require(p.stream("audio"))
        #expect(v["codec_name"] as? String == "h264" && v["profile"] as? String == "High")
        #expect(v["width"] as? Int == 320 && v["height"] as? Int == 180 && v["r_frame_rate"] as? String == "30/1")
        #expect(v["color_primaries"] as? String == "bt709" && v["color_space"] as? String == "bt709")
        #expect(a["codec_name"] as? String == "aac" && a["sample_rate"] as? String == "48000")
        #expect(abs((p.double(v, "duration") ?? 0) - 4) <= 1.0 / 30 + 1e-6)
        #expect(abs((p.double(a, "duration") ?? 0) - 4) <= 1.0 / 30 + 1e-6)
        #expect((p.format["tags"] as? [String: Any])?["title"] as? String == "Night shift — sleep well deals")
        #expect(try Self.decodeErrors(mp4).isEmpty)

        // The AAC track is the synthesized speech: correlation with the master WAV, at lag 0.
        let decoded = try Self.pcm(mp4), master = try Self.pcm(wav)
        #expect(abs(decoded.count - master.count) <= 1024, "\(decoded.count) vs \(master.count) samples")
        let n = min(decoded.count, master.count)
        var dot = 0.0, e1 = 0.0, e2 = 0.0
        for i in 0..<n { dot += Double(decoded[i] * master[i]); e1 += Double(decoded[i] * decoded[i]); e2 += Double(master[i] * master[i]) }
        #expect(e2 > 1, "the master has speech in it")
        #expect(dot / (e1 * e2).squareRoot() > 0.95)
    }

    @Test func wholeShowHasAChapterPerSegmentAndPortraitWorks() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let mp4 = dir.appendingPathComponent("p.mp4").path, sheet = dir.appendingPathComponent("sheet.png").path
        let run = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", mp4, "--size", "90x160", "--avatar", "juno", "--contact-sheet", sheet])
        #expect(run.status == 0, "\(run.stderr)")
        let p = try Self.probe(mp4)
        let v = try #require(p.stream("video"))
        #expect(v["width"] as? Int == 90 && v["height"] as? Int == 160)
        let titles = p.chapters.compactMap { ($0["tags"] as? [String: Any])?["title"] as? String }
        #expect(titles == ["Welcome", "Tonight's spot", "Moonlit Repair Serum", "Cloud Pillow Sleep Mask", "Good night"], "\(titles)")
        // Chapters tile the file: each starts where the previous ended, the last ends with the video.
        let bounds = p.chapters.map { (Double($0["start_time"] as? String ?? "") ?? -1, Double($0["end_time"] as? String ?? "") ?? -1) }
        for (prev, next) in zip(bounds, bounds.dropFirst()) { #expect(abs(prev.1 - next.0) < 0.002) }
        #expect(abs((bounds.last?.1 ?? 0) - (p.double(v, "duration") ?? -1)) < 0.002)
        #expect(try Self.decodeErrors(mp4).isEmpty)
        let png = try TestSupport.tool("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width", "-of", "csv=p=0", sheet])
        #expect(png.stdout.hasPrefix("png,"))
    }

    @Test func mkvWithOpusAndChaptersAndTheSameFramesEveryTime() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let mkv = dir.appendingPathComponent("o.mkv").path, again = dir.appendingPathComponent("s.mp4").path
        let first = dir.appendingPathComponent("p.mp4").path
        #expect(try TestSupport.anchor(["preview", "Scripts/demo-zh.show.md", "-o", mkv, "--duration", "3s", "--size", "160x90", "--audio", "opus"]).status == 0)
        let p = try Self.probe(mkv)
        #expect(p.stream("video")?["codec_name"] as? String == "h264" && p.stream("audio")?["codec_name"] as? String == "opus")
        // Chapters are known only once the show was directed; matroska takes them with its index.
        let titles = p.chapters.compactMap { ($0["tags"] as? [String: Any])?["title"] as? String }
        #expect(titles == ["开场"], "\(titles)")
        #expect(p.chapters.first?["start_time"] as? String == "0.000000", "the first chapter begins with the file")
        #expect(try Self.decodeErrors(mkv).isEmpty)

        // Nothing in a preview depends on the wall clock: the same frames, bit for bit, every time.
        #expect(try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", first, "--duration", "3s", "--size", "160x90"]).status == 0)
        #expect(try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", again, "--duration", "3s", "--size", "160x90"]).status == 0)
        func md5(_ path: String) throws -> String {
            try TestSupport.tool("ffmpeg", ["-v", "error", "-i", path, "-map", "0:v", "-f", "md5", "-"]).stdout
        }
        #expect(try md5(first) == md5(again))
        #expect(try md5(first).hasPrefix("MD5="))
    }

    @Test func chatIsAnsweredOnAirWithTheQuestionInABubble() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let log = dir.appendingPathComponent("chat.jsonl")
        try """
        {"t": 0.5, "user": "mia", "text": "how much is the serum?"}
        {"t": 0.8, "user": "spam_bot", "text": "cheap followers at www dot spam dot example"}
        """.write(to: log, atomically: true, encoding: .utf8)
        let mp4 = dir.appendingPathComponent("chat.mp4").path, wav = dir.appendingPathComponent("chat.wav").path
        let run = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", mp4, "--size", "320x180", "--duration", "14s",
                                          "--chat", log.path, "--audio-out", wav])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("chat: 2 messages, 1 answered on air"), "\(run.stdout)")
        #expect(run.stdout.contains("1 blocked"), "\(run.stdout)")
        #expect(try Self.decodeErrors(mp4).isEmpty)
        let plain = dir.appendingPathComponent("p.mp4").path
        #expect(try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", plain, "--size", "320x180", "--duration", "14s"]).status == 0)
        func md5(_ path: String) throws -> String { try TestSupport.tool("ffmpeg", ["-v", "error", "-i", path, "-map", "0:a", "-f", "md5", "-"]).stdout }
        #expect(try md5(mp4) != md5(plain), "the answer is heard: the soundtrack differs from the show without chat")
    }

    /// Pixels of the thanks bubble's rose (heart and names) in the band above the presenter's
    /// head where bubbles are drawn, over frames twice a second.
    static func rosePixels(_ mp4: String) throws -> Int {
        let raw = mp4 + ".rgb"
        #expect(try TestSupport.tool("ffmpeg", ["-v", "error", "-y", "-i", mp4, "-vf", "fps=2,crop=iw:ih*0.18:0:0", "-f", "rawvideo", "-pix_fmt", "rgb24", raw]).status == 0)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: raw)))
        var n = 0
        for i in stride(from: 0, to: bytes.count - 2, by: 3) where abs(Int(bytes[i]) - 214) < 24 && abs(Int(bytes[i + 1]) - 51) < 24 && abs(Int(bytes[i + 2]) - 108) < 24 { n += 1 }
        return n
    }

    @Test func giftsAreThankedAndPaidMessagesReadInThePreview() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let log = dir.appendingPathComponent("events.jsonl")
        try """
        {"t": 0.5, "type": "gift", "user": "u1", "name": "Ann", "gift": "rose", "count": 3, "value": 30}
        {"t": 0.7, "type": "gift", "user": "u2", "name": "Bo", "gift": "rose", "value": 10}
        {"t": 0.9, "type": "paid_message", "user": "u3", "name": "Dee", "text": "love it", "amount": 5, "currency": "USD"}
        {"t": 1.0, "type": "like", "user": "u4", "count": 5}
        """.write(to: log, atomically: true, encoding: .utf8)
        let mp4 = dir.appendingPathComponent("events.mp4").path
        let run = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", mp4, "--size", "640x360", "--duration", "14s", "--events", log.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("events: 2 gift, 1 like, 1 paid_message; 1 thanks and 1 paid messages spoken"), "\(run.stdout)")
        #expect(!run.stdout.contains("chat:"), "no chat line without messages: \(run.stdout)")
        #expect(try Self.decodeErrors(mp4).isEmpty)
        let plain = dir.appendingPathComponent("plain.mp4").path
        #expect(try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", plain, "--size", "640x360", "--duration", "14s"]).status == 0)
        // The thanks bubble is drawn: its rose heart and names, which the show alone never shows.
        let (with, without) = (try Self.rosePixels(mp4), try Self.rosePixels(plain))
        #expect(with > 30 && without == 0, "rose pixels: \(with) with events, \(without) without")
        // A bad line is a clear error naming file:line.
        try "{\"type\": \"gift\", \"count\": 0}\n".write(to: log, atomically: true, encoding: .utf8)
        let bad = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", mp4, "--size", "320x180", "--duration", "2s", "--events", log.path])
        #expect(bad.status == 1 && bad.stderr.contains("events.jsonl:1: \"count\""), "\(bad.stderr)")
    }

    @Test func ctrlCLeavesAPlayableFile() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let mp4 = dir.appendingPathComponent("stop.mp4").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.anchorBinary)
        process.arguments = ["preview", "Scripts/overnight.show.md", "-o", mp4, "--duration", "10m", "--size", "160x90"]
        process.currentDirectoryURL = TestSupport.packageRoot
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until frames are being written, then interrupt as a terminal's Ctrl-C would.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, ((try? FileManager.default.attributesOfItem(atPath: mp4)[.size] as? Int) ?? 0) < 20_000 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGINT)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(stdout.contains("stopped at"), "\(stdout)")
        let p = try Self.probe(mp4)
        let duration = p.double(p.stream("video"), "duration") ?? 0
        #expect(duration > 0 && duration < 600)
        #expect(abs((p.double(p.stream("audio"), "duration") ?? 0) - duration) <= 1.0 / 30 + 1e-6)
        #expect(try Self.decodeErrors(mp4).isEmpty)
    }

    @Test func oneHourLoopEndsWithAudioAndVideoUnderAFrameApart() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let mp4 = dir.appendingPathComponent("hour.mp4").path
        let run = try TestSupport.anchor(["preview", "Scripts/overnight.show.md", "-o", mp4, "--duration", "1h", "--size", "64x64", "--bitrate", "40"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("108000 frames"))
        // Last video packet end vs last audio sample, as the container has them.
        let p = try Self.probe(mp4)
        let video = try #require(p.double(p.stream("video"), "duration")), audio = try #require(p.double(p.stream("audio"), "duration"))
        #expect(abs(video - 3600) < 1e-6)
        #expect(abs(video - audio) < 1.0 / 30, "video \(video) s, audio \(audio) s")
    }

    @Test func badInputIsRefusedClearlyAndLeavesNoFile() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let out = dir.appendingPathComponent("x.mp4").path
        let unwritable = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", "/nonexistent/x.mp4"])
        #expect(unwritable.status == 1 && unwritable.stderr.contains("cannot write /nonexistent/x.mp4"))
        let odd = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", out, "--size", "321x180"])
        #expect(odd.status == 64 && odd.stderr.contains("even sides"))
        let fps = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", out, "--fps", "0"])
        #expect(fps.status == 64 && fps.stderr.contains("--fps"))
        let container = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", dir.appendingPathComponent("x.avi").path])
        #expect(container.status == 64 && container.stderr.contains(".mp4, .mov or .mkv"))
        let chat = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", out, "--chat", "/nonexistent/chat.jsonl"])
        #expect(chat.status == 1 && chat.stderr.contains("/nonexistent/chat.jsonl:0: cannot read the file"))

        // A full disk mid-file: the output is a link to /dev/full, where every write fails.
        let full = dir.appendingPathComponent("full.mp4").path
        try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: "/dev/full")
        let diskFull = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", full, "--duration", "2s", "--size", "160x90"])
        #expect(diskFull.status == 1 && diskFull.stderr.contains("No space left on device"), "\(diskFull.stderr)")

        let broken = dir.appendingPathComponent("broken.show.md")
        try "---\ntitle: Broken\n---\n# Hello\n[prise] Only {product.price today\n".write(to: broken, atomically: true, encoding: .utf8)
        let refused = try TestSupport.anchor(["preview", broken.path, "-o", out])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("broken.show.md:5:14: error"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing is written for a show with errors")
    }
}
}
