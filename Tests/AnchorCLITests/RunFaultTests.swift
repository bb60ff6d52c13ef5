import AnchorTestSupport
import Foundation
import Testing

extension HeavyCLITests {
/// The faults a channel meets overnight, made real: a full disk (a small tmpfs), a database
/// another process keeps locked (sqlite3), ingest down at start; kill -9 mid-write leaves the
/// database intact. (A wall-clock jump: ClockJumpTests.)
@Suite struct RunFaultTests {
    typealias R = RunCLITests

    static func int(_ s: [String: Any]?, _ key: String) -> Int { (s?[key] as? Int) ?? 0 }

    /// Runs a shell line (mount, sqlite3) and returns its output, failing the test on error.
    @discardableResult
    static func sh(_ line: String) throws -> String {
        let run = try TestSupport.tool("bash", ["-c", line])
        guard run.status == 0 else { throw Failed(description: "\(line): \(run.stderr)") }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct Failed: Error, CustomStringConvertible { let description: String }

    @Test func aFullDiskStopsTheRecordingNotTheStream() throws {
        let nginx = try NginxRTMP()
        defer { nginx.stop() }
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        // A real full file system: a 400 KiB tmpfs (needs root, as CI and this machine have).
        let rec = dir.appendingPathComponent("rec")
        try FileManager.default.createDirectory(at: rec, withIntermediateDirectories: true)
        try Self.sh("mount -t tmpfs -o size=400k anchor-test-full '\(rec.path)'")
        defer { _ = try? Self.sh("umount '\(rec.path)'") }
        let port = try TestSupport.freePort()
        let run = try TestSupport.launchAnchor(["run", "--schedule", try RunCLITests().schedule(in: dir, filler: TestSupport.path("Scripts/overnight.show.md")),
                                                "--push", "rtmp://127.0.0.1:\(nginx.port)/live/full", "--size", "320x180", "--bitrate", "1500",
                                                "--record", rec.path, "--segment", "10s", "--control", "127.0.0.1:\(port)",
                                                "--state-db", dir.appendingPathComponent("state.db").path])
        defer { _ = run.wait(timeout: 1) }
        let failed = R.waitFor(port, timeout: 60) { s in ((s["recording"] as? [String: Any])?["error"] as? String) != nil }
        let error = ((failed?["recording"] as? [String: Any])?["error"] as? String) ?? ""
        #expect(!error.isEmpty, "the recording never reported the full disk")
        // The stream goes on: frames keep going out to the ingest, none skipped for it.
        let sent = Self.int(failed, "framesSent"), skipped = Self.int(failed, "framesSkipped")
        Thread.sleep(forTimeInterval: 3)
        let later = R.status(port)
        #expect(Self.int(later, "framesSent") > sent + 60, "the stream stalled after the disk filled")
        #expect(Self.int(later, "framesSkipped") - skipped < 5)
        #expect((later?["onAir"] as? Bool) == true)
        let page = try R.http("GET", "http://127.0.0.1:\(port)/")
        #expect(page.1.contains("FAILED"), "the status page must show the recording failed")
        run.signal(SIGTERM)
        let out = run.wait(timeout: 20)
        #expect(out.status == 0, "\(out.stderr.suffix(800))")
        #expect(out.stderr.contains("recording stopped"), "\(out.stderr.suffix(800))")
        #expect(!nginx.recordings.isEmpty)
    }

    @Test func aLockedDatabaseDelaysTheLogNotTheStreamAndKill9LeavesItIntact() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let db = dir.appendingPathComponent("state.db").path
        let port = try TestSupport.freePort()
        let args = ["run", "--schedule", try RunCLITests().schedule(in: dir, filler: TestSupport.path("Scripts/overnight.show.md")),
                    "--size", "160x90", "--record", dir.appendingPathComponent("rec").path, "--control", "127.0.0.1:\(port)", "--state-db", db]
        let run = try TestSupport.launchAnchor(args)
        defer { _ = run.wait(timeout: 1) }
        let on = R.waitFor(port, timeout: 30) { ($0["onAir"] as? Bool) == true && Self.int($0, "framesSent") > 30 }
        #expect(on != nil)
        // Another process takes the write lock and keeps it 9 s (longer than the 5 s busy timeout).
        let locker = try TestSupport.launchTool("sqlite3", [db, "BEGIN EXCLUSIVE;", ".shell sleep 9", "COMMIT;"])
        let lockedAt = Date()
        let failing = R.waitFor(port, timeout: 12) { s in ((s["database"] as? [String: Any])?["error"] as? String) != nil }
        #expect(failing != nil, "the locked database was never reported")
        let during = R.status(port)
        #expect((during?["onAir"] as? Bool) == true)
        // The picture never waited for the database.
        let fps = (during?["fps"] as? Double) ?? 0
        #expect(fps > 25, "fps \(fps) while the database was locked")
        #expect(Self.int(during, "framesSkipped") < 5, "frames skipped while the database was locked: \(Self.int(during, "framesSkipped"))")
        _ = locker.wait(timeout: 15)
        #expect(Date().timeIntervalSince(lockedAt) > 8)
        // The lock gone, writes go through again and the saved position follows the show.
        let recovered = R.waitFor(port, timeout: 20) { s in
            guard let d = s["database"] as? [String: Any] else { return false }
            return d["error"] == nil && (d["failedWrites"] as? Int ?? 0) > 0
        }
        #expect(recovered != nil, "\(String(describing: R.status(port)?["database"]))")
        let line = Self.int(recovered?["position"] as? [String: Any], "event")
        Thread.sleep(forTimeInterval: 2)
        let saved = Int(try Self.sh("sqlite3 '\(db)' 'SELECT event FROM onAir'")) ?? -1
        #expect(saved >= line, "saved line \(saved), on air \(line)")
        // kill -9 in the middle of writing: the database stays intact and resumable.
        run.signal(SIGKILL)
        _ = run.wait(timeout: 5)
        #expect(try Self.sh("sqlite3 '\(db)' 'PRAGMA integrity_check'") == "ok")
        let again = try TestSupport.launchAnchor(args + ["--duration", "3s"])
        let out = again.wait(timeout: 30)
        #expect(out.status == 0 && out.stderr.contains("resuming"), "\(out.stderr.suffix(600))")
    }

    @Test func anIngestDownAtStartIsRetriedAndReported() throws {
        let nginx = try NginxRTMP()
        nginx.kill()
        defer { nginx.stop() }
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let port = try TestSupport.freePort()
        let run = try TestSupport.launchAnchor(["run", "--schedule", try RunCLITests().schedule(in: dir, filler: TestSupport.path("Scripts/overnight.show.md")),
                                                "--push", "rtmp://127.0.0.1:\(nginx.port)/live/down", "--size", "160x90",
                                                "--control", "127.0.0.1:\(port)", "--state-db", dir.appendingPathComponent("state.db").path])
        defer { _ = run.wait(timeout: 1) }
        let retrying = R.waitFor(port, timeout: 20) { s in
            ((s["destinations"] as? [[String: Any]])?.first?["state"] as? String)?.contains("retrying") == true
        }
        #expect(retrying != nil, "\(String(describing: R.status(port)?["destinations"]))")
        try nginx.start()
        let publishing = R.waitFor(port, timeout: 40) { s in ((s["destinations"] as? [[String: Any]])?.first?["sessions"] as? Int ?? 0) >= 1 }
        #expect(publishing != nil, "\(String(describing: R.status(port)?["destinations"]))")
        run.signal(SIGTERM)
        #expect(run.wait(timeout: 20).status == 0)
        #expect(!nginx.recordings.isEmpty)
    }
}
}
