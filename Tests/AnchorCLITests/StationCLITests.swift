import AnchorTestSupport
import Foundation
import Testing

extension HeavyCLITests {
/// `anchor run --station`: several channels in one process into a real nginx-rtmp, each its
/// own stream, recording, chat and status; readiness follows the ingest; SIGTERM ends them all cleanly.
@Suite struct StationCLITests {
    typealias R = RunCLITests

    static func get(_ port: Int, _ path: String) -> (Int, String) { (try? R.http("GET", "http://127.0.0.1:\(port)\(path)")) ?? (0, "") }

    static func status(_ port: Int, _ channel: String) -> [String: Any]? {
        let (code, body) = get(port, "/channels/\(channel)/status")
        guard code == 200 else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    }

    static func until(_ timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return false
    }

    @Test func twoChannelsAirSideBySideEachWithItsOwnStreamChatAndReadiness() throws {
        let nginx = try NginxRTMP()
        defer { nginx.stop() }
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        try "timezone: UTC\nfiller: \(TestSupport.path("Scripts/overnight.show.md"))\nentries: []\n"
            .write(to: dir.appendingPathComponent("night.schedule.yaml"), atomically: true, encoding: .utf8)
        try "rtmp://127.0.0.1:\(nginx.port)/live/sk_station_beta\n".write(to: dir.appendingPathComponent("beta.push"), atomically: true, encoding: .utf8)
        try """
        # two rooms, one process
        channels:
          - name: alpha
            schedule: night.schedule.yaml
            push_env: PUSH_ALPHA
            record: rec-alpha
            size: 320x180
          - name: beta
            schedule: night.schedule.yaml
            push_file: beta.push
            record: rec-beta
            size: 256x144
            fps: 25
        """.write(to: dir.appendingPathComponent("shops.station.yaml"), atomically: true, encoding: .utf8)
        let port = try TestSupport.freePort()
        let run = try TestSupport.launchAnchor(["run", "--station", dir.appendingPathComponent("shops.station.yaml").path, "--control", "127.0.0.1:\(port)",
                                                "--state-db", dir.appendingPathComponent("state.db").path, "--token", "station-token"],
                                               environment: ["PUSH_ALPHA": "rtmp://127.0.0.1:\(nginx.port)/live/sk_station_alpha",
                                                             "ANCHOR_PUSH": "rtmp://127.0.0.1:1/live/not_for_every_channel"])
        // Ready once both are live at the ingest.
        #expect(Self.until(30) { Self.get(port, "/readyz").0 == 200 }, "never ready: \(Self.get(port, "/readyz").1)")
        let alpha = Self.status(port, "alpha"), beta = Self.status(port, "beta")
        #expect(alpha?["channel"] as? String == "alpha" && beta?["channel"] as? String == "beta")
        #expect((beta?["destinations"] as? [[String: Any]])?.count == 1, "ANCHOR_PUSH is not every channel's ingest: \(beta ?? [:])")
        let station = Self.get(port, "/")
        #expect(station.0 == 200 && station.1.contains("2 of 2 channels on air"), "\(station.1.prefix(300))")
        let metrics = Self.get(port, "/metrics").1
        #expect(metrics.contains("anchor_frames_sent_total{channel=\"alpha\"}") && metrics.contains("anchor_frames_sent_total{channel=\"beta\"}"),
                "\(metrics.prefix(500))")

        // Chat to one channel is answered there, not on the other.
        let (code, _) = try R.http("POST", "http://127.0.0.1:\(port)/channels/beta/chat", body: #"{"user":"ann","text":"how much is the serum?"}"#,
                                   token: "station-token")
        #expect(code == 202)
        #expect(Self.until(15) { ((Self.status(port, "beta")?["chat"] as? [String: Any])?["answered"] as? Int ?? 0) >= 1 })
        #expect(((Self.status(port, "alpha")?["chat"] as? [String: Any])?["received"] as? Int) == 0)

        // The ingest goes away: not ready (the frame loops still turn: healthy); back: ready again.
        // Each channel's board entry follows its once-a-second status, so one may say so up to a
        // second before the other: both must, within the same 15 s.
        nginx.kill()
        #expect(Self.until(15) {
            let (code, body) = Self.get(port, "/readyz")
            return code == 503 && body.contains("beta: no destination live") && body.contains("alpha: no destination live")
        }, "\(Self.get(port, "/readyz"))")
        #expect(Self.get(port, "/healthz").0 == 200)
        try nginx.start()
        #expect(Self.until(30) { Self.get(port, "/readyz").0 == 200 }, "not ready again after the ingest came back: \(Self.get(port, "/readyz").1)")
        Thread.sleep(forTimeInterval: 2)

        // SIGTERM: both finish their word, close their recordings and end their streams.
        run.signal(SIGTERM)
        let out = run.wait(timeout: 40)
        #expect(out.status == 0, "\(out.stderr.suffix(2000))")
        for key in ["sk_station_alpha", "sk_station_beta", "station-token"] {
            #expect(!(out.stdout + out.stderr).contains(key), "a secret was logged: \(key)")
        }
        #expect(out.stderr.contains("channel=alpha") && out.stderr.contains("channel=beta"))
        for (name, size) in [("alpha", "320,180"), ("beta", "256,144")] {
            let rec = dir.appendingPathComponent("rec-\(name)")
            let files = try FileManager.default.contentsOfDirectory(atPath: rec.path).filter { $0.hasSuffix(".mp4") }
            #expect(files.count == 1 && !files.contains { $0.hasSuffix(".part.mp4") }, "\(name): \(files)")
            for f in files {
                let path = rec.appendingPathComponent(f).path
                let errors = try LiveCLITests.decodeErrors(path)
                #expect(errors.isEmpty, "\(name)/\(f): \(errors.prefix(300))")
                let dims = try TestSupport.tool("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=width,height", "-of", "csv=p=0", path]).stdout
                #expect(dims.trimmingCharacters(in: .whitespacesAndNewlines) == size, "\(name): \(dims)")
            }
        }
        // nginx received each channel's stream under its own key, and both decode.
        for key in ["sk_station_alpha", "sk_station_beta"] {
            let flvs = nginx.recordings.filter { $0.lastPathComponent.hasPrefix(key) }
            #expect(!flvs.isEmpty, "no stream for \(key): \(nginx.recordings.map(\.lastPathComponent))")
            for f in flvs {
                let errors = try LiveCLITests.decodeErrors(f.path)
                #expect(errors.isEmpty, "\(f.lastPathComponent): \(errors.prefix(300))")
            }
        }
    }

    /// A channel that fails on air (here its encoder refuses its settings) stops alone: the
    /// other keeps airing, the station says which failed and why, is not ready, and starts the
    /// failed one again after a back-off.
    @Test func aFailingChannelStopsAloneAndTheStationSaysSo() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        try "timezone: UTC\nfiller: \(TestSupport.path("Scripts/overnight.show.md"))\nentries: []\n"
            .write(to: dir.appendingPathComponent("night.schedule.yaml"), atomically: true, encoding: .utf8)
        try """
        channels:
          - name: broken
            schedule: night.schedule.yaml
            record: rec-broken
            size: 160x90
            preset: no-such-preset
          - name: fine
            schedule: night.schedule.yaml
            record: rec-fine
            size: 160x90
        """.write(to: dir.appendingPathComponent("two.station.yaml"), atomically: true, encoding: .utf8)
        let port = try TestSupport.freePort()
        let run = try TestSupport.launchAnchor(["run", "--station", dir.appendingPathComponent("two.station.yaml").path, "--control", "127.0.0.1:\(port)",
                                                "--state-db", dir.appendingPathComponent("state.db").path, "--token", "none", "--duration", "12s"])
        #expect(Self.until(20) { Self.status(port, "fine")?["onAir"] as? Bool == true })
        let broken = Self.status(port, "broken")
        #expect((broken?["failure"] as? String)?.contains("no-such-preset") == true && (broken?["restarts"] as? Int ?? 0) >= 1, "\(broken ?? [:])")
        let ready = Self.get(port, "/readyz")
        #expect(ready.0 == 503 && ready.1.contains("broken: failed:") && !ready.1.contains("fine:"), "\(ready)")
        #expect(Self.get(port, "/healthz").0 == 200)
        #expect(Self.get(port, "/").1.contains("FAILED"))
        let out = run.wait(timeout: 40)
        #expect(out.stderr.contains("channel stopped on an error; the others go on") && out.stderr.contains("channel=broken"), "\(out.stderr.suffix(1500))")
        // It is started again after 5 s (and fails again: its preset is still wrong); the next
        // wait (10 s) would end past the trial's 12 s, so it stops there.
        #expect(out.stderr.contains("starting it again in 5 s") && !out.stderr.contains("starting it again in 10 s"), "\(out.stderr.suffix(1500))")
        #expect(out.stderr.components(separatedBy: "x264 refused").count - 1 >= 2 || out.stderr.components(separatedBy: "no-such-preset").count - 1 >= 2,
                "failed twice: \(out.stderr.suffix(1500))")
        #expect(out.status == 1, "the exit status says a channel failed")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("rec-fine").path).filter { $0.hasSuffix(".mp4") }
        #expect(files.count == 1, "\(files)")
        for f in files { #expect(try LiveCLITests.decodeErrors(dir.appendingPathComponent("rec-fine/" + f).path).isEmpty) }
    }

    @Test func aBrokenStationFileNamesWhereAndAirsNothing() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let file = dir.appendingPathComponent("bad.station.yaml")
        try """
        channels:
          - name: one
            schedule: a.schedule.yaml
            record: rec
            pushfile: typo.txt
          - name: one
            schedule: b.schedule.yaml
            record: rec2
          - name: Two Words
            schedule: c.schedule.yaml
        """.write(to: file, atomically: true, encoding: .utf8)
        let bad = try TestSupport.anchor(["run", "--station", file.path, "--control", "off", "--state-db", dir.appendingPathComponent("s.db").path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.station.yaml:5:5") && bad.stderr.contains("unknown key 'pushfile'"), "\(bad.stderr)")
        #expect(bad.stderr.contains("bad.station.yaml:6:11") && bad.stderr.contains("named twice"), "\(bad.stderr)")
        #expect(bad.stderr.contains("bad.station.yaml:9:11"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("rec").path))
        // `anchor check` reads station files too, and says which schedule is missing.
        let check = try TestSupport.anchor(["check", file.path])
        #expect(check.status == 1 && check.stderr.contains("bad.station.yaml:5:5") && check.stderr.contains("channel 'one': the schedule"), "\(check.stderr)")
        let shipped = try TestSupport.anchor(["check", "Scripts/"])
        #expect(shipped.status == 0 && shipped.stdout.contains("Scripts/shops.station.yaml: ok"), "\(shipped.stdout)\(shipped.stderr)")

        // Usage errors are exit 64 before anything starts.
        let both = try TestSupport.anchor(["run", "--station", file.path, "--schedule", "x.schedule.yaml"])
        #expect(both.status == 64 && both.stderr.contains("--schedule FILE (one channel) or --station FILE"), "\(both.stderr)")
        let push = try TestSupport.anchor(["run", "--station", file.path, "--push", "rtmp://127.0.0.1/live/k"])
        #expect(push.status == 64 && push.stderr.contains("each channel names its own push"), "\(push.stderr)")
        for (flag, value) in [("--segment", "5s"), ("--duration", "soon")] {
            let r = try TestSupport.anchor(["run", "--schedule", "x.schedule.yaml", "--record", "r", flag, value])
            #expect(r.status == 64 && r.stderr.contains(value), "\(flag) \(value): \(r.status) \(r.stderr)")
        }
    }
}
}
