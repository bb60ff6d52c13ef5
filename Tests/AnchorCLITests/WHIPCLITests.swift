import AnchorTestSupport
import Foundation
import Testing

/// The aiortc WHIP endpoint of Tests/Fixtures/whip-endpoint.py, on 127.0.0.1.
final class WHIPEndpointProcess {
    let port: Int
    let directory: URL
    private var run: BackgroundRun?

    init(port: Int? = nil, _ arguments: [String] = []) throws {
        let python = TestSupport.path(".build-venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python), "no \(python): run scripts/setup.sh --no-build")
        self.port = try port ?? TestSupport.freePort()
        directory = try TestSupport.temporaryDirectory()
        try start(arguments)
    }

    func start(_ arguments: [String] = []) throws {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("ready"))
        run = try TestSupport.launchTool(TestSupport.path(".build-venv/bin/python"),
                                         [TestSupport.path("Tests/Fixtures/whip-endpoint.py"), "\(port)", directory.path] + arguments)
        // aiortc takes a few seconds to import on a busy machine.
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("ready").path), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        try #require(FileManager.default.fileExists(atPath: directory.appendingPathComponent("ready").path), "the WHIP endpoint did not start")
    }

    var url: String { "whip+http://127.0.0.1:\(port)/whip/endpoint" }

    /// The report of session `n` (1-based), waiting up to `timeout` for it.
    func session(_ n: Int, timeout: TimeInterval = 10, deleted: Bool = false) -> [String: Any]? {
        let file = directory.appendingPathComponent("session-\(n).json")
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let data = try? Data(contentsOf: file), let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               !deleted || json["deleted"] as? Bool == true {
                return json
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }

    func recording(_ n: Int) -> String { directory.appendingPathComponent("session-\(n).mkv").path }

    func kill() { run?.signal(SIGKILL); _ = run?.wait(timeout: 5) }

    func stop() {
        run?.signal(SIGTERM)
        _ = run?.wait(timeout: 5)
        TestSupport.cleanUp(directory)
    }
}

extension HeavyCLITests {
/// `anchor live` publishing over WebRTC (WHIP) to a real aiortc peer on 127.0.0.1.
@Suite struct WHIPCLITests {
    static func summaryLine(_ stdout: String, _ prefix: String) -> Substring? {
        stdout.split(separator: "\n").first { $0.contains(prefix) }
    }

    /// The issue's end-to-end check: 5 s at 320x240 to the endpoint and to nginx-rtmp at once.
    @Test func aShowGoesOutOverWHIPAndRTMPFromOneRender() throws {
        let token = "whip_t0ken_7c1d9e"
        let whip = try WHIPEndpointProcess(["--token", token])
        defer { whip.stop() }
        let nginx = try NginxRTMP()
        defer { nginx.stop() }
        let run = try TestSupport.anchor(["live", "Scripts/demo.show.md", "--duration", "5s", "--size", "320x240",
                                          "--push", whip.url, "--push", "rtmp://127.0.0.1:\(nginx.port)/live/\(LiveCLITests.key)"],
                                         environment: ["ANCHOR_WHIP_TOKEN": token])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(!(run.stdout + run.stderr).contains(token) && !(run.stdout + run.stderr).contains(LiveCLITests.key), "a secret was printed")
        #expect(LiveCLITests.Summary(run.stdout, url: "-").framesSkipped == 0, "one render fed both in time: \(run.stdout)")
        let report = try #require(whip.session(1, deleted: true), "no session report: \(run.stdout)")
        #expect(report["errors"] as? [String] == [], "\(report)")
        #expect((report["connected_after"] as? Double ?? 99) < 3, "connected after \(report["connected_after"] ?? "never")")
        #expect(report["video_frames"] as? Int ?? 0 >= 135 && report["width"] as? Int == 320 && report["height"] as? Int == 240, "\(report)")
        #expect(report["audio_frames"] as? Int ?? 0 >= 225, "\(report)")
        #expect(report["audio_rms"] as? Double ?? 0 > 0.02, "the voice is heard: \(report)")
        #expect(report["posts"] as? Int == 1 && report["deleted"] as? Bool == true, "one POST, then DELETE: \(report)")
        let recorded = try LiveCLITests.probe(whip.recording(1))
        #expect(recorded.video == "h264,320,240" && recorded.duration >= 4.5 && recorded.duration <= 6, "\(recorded)")
        #expect(try LiveCLITests.decodeErrors(whip.recording(1)).isEmpty)
        // The WebRTC line of the summary, and the token-free address.
        let rtc = try #require(Self.summaryLine(run.stdout, "WebRTC: connected"), "\(run.stdout)")
        #expect(rtc.contains("to 127.0.0.1:") && rtc.contains("frame to wire p50"), "\(rtc)")
        // RTMP in the same run is still clean: High profile + AAC, every frame decodes.
        let flv = try #require(nginx.recordings.first)
        let p = try LiveCLITests.probe(flv.path)
        #expect(p.video == "h264,320,240" && p.audio == "aac,48000" && p.duration > 4.5, "\(p)")
        #expect(try LiveCLITests.decodeErrors(flv.path).isEmpty)
        let profile = try TestSupport.tool("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=profile", "-of", "csv=p=0", flv.path])
        #expect(profile.stdout.contains("High"), "RTMP keeps its profile: \(profile.stdout)")
    }

    /// The endpoint dies without a word: consent checks go unanswered, the sender gives up on the
    /// session within 10 s and POSTs again (with backoff) until the endpoint is back.
    @Test func aKilledEndpointIsNoticedAndPublishedToAgain() throws {
        let whip = try WHIPEndpointProcess()
        defer { whip.stop() }
        let live = try TestSupport.launchAnchor(["live", "Scripts/overnight.show.md", "--duration", "24s", "--size", "160x120", "--push", whip.url])
        let first = try #require(whip.sessionStarted(1), "the first session never started")
        Thread.sleep(forTimeInterval: max(0, 3 - Date().timeIntervalSince(first)))
        whip.kill()
        let killedAt = Date().timeIntervalSince(live.started)
        Thread.sleep(forTimeInterval: 2)
        try whip.start()
        let run = live.wait(timeout: 60)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("consent lost"), "\(run.stdout)")
        #expect(LiveCLITests.Summary(run.stdout, url: "-").framesSkipped == 0, "the show kept time through the outage: \(run.stdout)")
        let line = try #require(Self.summaryLine(run.stdout, "  whip+http://127.0.0.1:\(whip.port)/whip/****: "), "\(run.stdout)")
        #expect(LiveCLITests.Summary.number(before: " sessions", in: line) == 2, "\(run.stdout)")
        let starts = LiveCLITests.Summary(run.stdout, url: "-").sessionStarts
        if starts.count == 2 {
            // Noticed within 10 s of the kill (8 s of silence), then the next POST after backoff.
            #expect(starts[1] < killedAt + 13, "second session at \(starts[1]) s, killed at \(killedAt) s")
        } else {
            Issue.record("session starts: \(starts) in \(run.stdout)")
        }
        let second = try #require(whip.session(1, deleted: true), "the restarted endpoint got no session")
        #expect(second["video_frames"] as? Int ?? 0 > 60, "\(second)")
    }

    /// The answer names a port nobody listens on: a clear error within the handshake timeout,
    /// retried, and exit 2 (never published).
    @Test func anAnswerWithAClosedCandidateIsAClearError() throws {
        let closed = try TestSupport.freePort()
        let whip = try WHIPEndpointProcess(["--candidate-port", "\(closed)"])
        defer { whip.stop() }
        let run = try TestSupport.anchor(["live", "Scripts/overnight.show.md", "--duration", "13s", "--size", "160x120", "--push", whip.url])
        #expect(run.status == 2, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("no ICE connectivity within 10") && run.stdout.contains("127.0.0.1:\(closed)"), "\(run.stdout)")
    }

    /// The endpoint names a STUN server (and a TURN server) in `Link: rel="ice-server"`: anchor
    /// asks the STUN server for its public address (the test's server answers as a NAT would,
    /// 203.0.113.7) and trickles it to the session with PATCH; TURN is reported unused.
    @Test func theEndpointsSTUNServerGivesATrickledCandidate() throws {
        let whip = try WHIPEndpointProcess(["--stun-maps-to", "203.0.113.7"])
        defer { whip.stop() }
        let run = try TestSupport.anchor(["live", "Scripts/overnight.show.md", "--duration", "4s", "--size", "160x120", "--push", whip.url])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let report = try #require(whip.session(1, deleted: true))
        let trickled = report["trickled"] as? [String] ?? []
        #expect(trickled.count == 1, "\(report)")
        let fragment = trickled.first ?? ""
        #expect(fragment.contains("a=ice-ufrag:") && fragment.contains("a=mid:0") && fragment.contains(" 203.0.113.7 ") && fragment.contains("typ srflx"), "\(fragment)")
        #expect(report["video_frames"] as? Int ?? 0 >= 100, "still on air: \(report)")
        let rtc = try #require(Self.summaryLine(run.stdout, "WebRTC: connected"), "\(run.stdout)")
        #expect(rtc.contains("public address 203.0.113.7:"), "\(rtc)")
        #expect(run.stdout.contains("TURN"), "the unused TURN server is named: \(run.stdout)")
    }

    /// The overnight daemon publishes over WebRTC too, and its control port shows the session.
    @Test func theDaemonPublishesOverWHIPAndShowsItOnStatus() throws {
        let whip = try WHIPEndpointProcess()
        defer { whip.stop() }
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let schedule = dir.appendingPathComponent("night.schedule.yaml").path
        try "timezone: UTC\nfiller: \(TestSupport.path("Scripts/overnight.show.md"))\nentries: []\n".write(toFile: schedule, atomically: true, encoding: .utf8)
        let port = try TestSupport.freePort()
        let run = try TestSupport.launchAnchor(["run", "--schedule", schedule, "--push", whip.url, "--size", "160x120", "--duration", "12s",
                                                "--control", "127.0.0.1:\(port)", "--state-db", dir.appendingPathComponent("state.db").path])
        let status = HeavyCLITests.RunCLITests.waitFor(port, timeout: 30) { s in
            (s["destinations"] as? [[String: Any]] ?? []).contains { ($0["webrtc"] as? String)?.contains("WebRTC: connected") == true }
        }
        let done = run.wait(timeout: 60)
        #expect(done.status == 0, "\(done.stdout)\n\(done.stderr)")
        let destination = try #require((status?["destinations"] as? [[String: Any]])?.first, "no WebRTC session on /status: \(done.stderr)")
        #expect(destination["url"] as? String == "whip+http://127.0.0.1:\(whip.port)/whip/****" && destination["state"] as? String == "live", "\(destination)")
        let report = try #require(whip.session(1, deleted: true))
        #expect(report["video_frames"] as? Int ?? 0 > 200, "\(report)")
        #expect(done.stdout.contains("WebRTC: connected"), "\(done.stdout)")
    }

    /// The receiver reports a lost picture (RTCP PLI) in the middle of a GOP: the next frame
    /// the encoder makes is an IDR, long before the 2 s cadence would bring one.
    @Test func aPictureLossRequestGetsAKeyframe() throws {
        let whip = try WHIPEndpointProcess(["--pli-at", "75"])
        defer { whip.stop() }
        let run = try TestSupport.anchor(["live", "Scripts/overnight.show.md", "--duration", "5s", "--size", "320x240", "--push", whip.url])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let report = try #require(whip.session(1, deleted: true))
        #expect(report["pli_sent_after"] as? Int == 75, "\(report)")
        let keys = report["key_frames"] as? [Int] ?? []
        // Frame 1 opens the stream; 61 is the 2 s cadence; one within a few frames of the PLI answers it
        // (the cadence alone would bring the next at 121).
        #expect(keys.contains(1) && keys.contains { (76...85).contains($0) }, "keyframes at \(keys)")
        let rtc = try #require(Self.summaryLine(run.stdout, "WebRTC: connected"), "\(run.stdout)")
        #expect((LiveCLITests.Summary.number(before: " keyframe requests", in: rtc) ?? 0) >= 1, "\(rtc)")
    }

    /// 10 % of the RTP sent is lost on the way (a relay in the endpoint): the receiver's NACKs
    /// are answered from history and the picture still arrives whole.
    @Test func lostPacketsAreResentOnNack() throws {
        let whip = try WHIPEndpointProcess(["--lossy", "0.1"])
        defer { whip.stop() }
        let run = try TestSupport.anchor(["live", "Scripts/demo.show.md", "--duration", "6s", "--size", "320x240", "--push", whip.url])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let report = try #require(whip.session(1, deleted: true))
        #expect(report["dropped"] as? Int ?? 0 > 20, "the relay dropped packets: \(report)")
        let rtc = try #require(Self.summaryLine(run.stdout, "WebRTC: connected"), "\(run.stdout)")
        let resent = LiveCLITests.Summary.number(before: " resent", in: rtc) ?? 0
        #expect(resent > 5, "\(rtc)")
        // Every packet asked for is resent (one history for audio and video lost some).
        #expect(resent == LiveCLITests.Summary.number(before: " NACKed", in: rtc), "\(rtc)")
        #expect(report["video_frames"] as? Int ?? 0 >= 165, "\(report)\n\(rtc)")
        #expect(try LiveCLITests.decodeErrors(whip.recording(1)).isEmpty)
    }
}
}

extension WHIPEndpointProcess {
    /// When session `n` began (its recording appeared), waiting up to 15 s.
    func sessionStarted(_ n: Int) -> Date? {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: recording(n)) { return Date() }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }
}

extension HeavyCLITests.WHIPCLITests {
    /// The endpoint is right on its own: FFmpeg 8's `whip` muxer (in the PyAV wheel) publishes to
    /// it and what it records is whole.
    @Test func theEndpointTakesFFmpegsReferenceClient() throws {
        let whip = try WHIPEndpointProcess()
        defer { whip.stop() }
        let key = whip.directory.appendingPathComponent("key.pem").path, cert = whip.directory.appendingPathComponent("cert.pem").path
        let made = try TestSupport.tool("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                                                    "-subj", "/CN=reference", "-keyout", key, "-out", cert])
        try #require(made.status == 0, "\(made.stderr)")
        let client = try TestSupport.tool(TestSupport.path(".build-venv/bin/python"),
                                          [TestSupport.path("Tests/Fixtures/whip-reference-client.py"), "http://127.0.0.1:\(whip.port)/whip/endpoint", cert, key])
        #expect(client.status == 0, "\(client.stdout)\n\(client.stderr)")
        let report = try #require(whip.session(1, timeout: 20), "no session report: \(client.stderr)")
        #expect(report["errors"] as? [String] == [], "\(report)")
        #expect(report["video_frames"] as? Int ?? 0 >= 135 && report["width"] as? Int == 320, "\(report)")
        #expect(report["audio_frames"] as? Int ?? 0 >= 225 && report["audio_rms"] as? Double ?? 0 > 0.05, "\(report)")
    }
}
