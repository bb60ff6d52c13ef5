import AnchorCommandLine
import AnchorEngine
import ArgumentParser
import Foundation

struct ChannelsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "How many channels one process holds: N channels into a local nginx-rtmp, zero frames skipped and zero packets dropped.",
        discussion: """
        Runs 'anchor run --station' with N channels of the overnight show (each its own ingest \
        key on a local nginx-rtmp that only relays), waits until all are on air, then watches \
        them for --duration: frames skipped to keep time and packets dropped in the send \
        queues must stay at zero. N doubles until a count fails, then the largest passing count \
        is searched between. Prints the process's CPU per channel and its resident memory per \
        extra channel (against one channel, same settings). Targets at 1280x720@30 on this \
        2-core machine: ≥ 16 channels, ≤ 60 MB per extra channel. Needs nginx with the RTMP \
        module (scripts/setup.sh installs it) and curl.

          anchor bench channels
          anchor bench channels --counts 8,16 --duration 30s
        """
    )

    @Option(help: "How long each count is watched once all its channels are on air.")
    var duration: RunLength = RunLength(argument: "60s")!

    @Option(help: "Frame size of every channel.")
    var size = "1280x720"

    @Option(help: "Frames per second.")
    var fps = 30

    @Option(help: "Stop searching at this many channels.")
    var max = 32

    @Option(help: ArgumentHelp("Only these counts, comma-separated (no search).", valueName: "n,n…"))
    var counts: String?

    struct Trial {
        var channels: Int
        var cpu: Double
        var rssMB: Double
        var skipped: Int
        var dropped: Int
        var startSkipped: Int
        var passed: Bool { skipped == 0 && dropped == 0 }
    }

    func run() async throws {
        guard let scripts = Assets.folder("Scripts", containing: "overnight.show.md", nearShow: nil) else {
            throw ValidationError("cannot find Scripts/overnight.show.md (run from the anchor folder or set ANCHOR_HOME)")
        }
        let folder = try TemporaryFolder()
        let nginx = try BenchNginx(folder: folder.path)
        defer { nginx.stop() }
        try "timezone: UTC\nfiller: \(scripts)/overnight.show.md\nentries: []\n".write(toFile: folder.path + "/night.schedule.yaml", atomically: true, encoding: .utf8)
        print("anchor bench channels — \(size)@\(fps) channels of the overnight show into nginx-rtmp on 127.0.0.1, each watched \(duration.text) once all are on air")
        print("  channels  CPU (cores)  per channel   RSS       skipped  dropped  at start")
        var trials: [Int: Trial] = [:]
        func measure(_ n: Int) async throws -> Trial {
            if let t = trials[n] { return t }
            let t = try await trial(n, folder: folder.path, nginxPort: nginx.port)
            trials[n] = t
            print(String(format: "  %8d  %11.2f  %11.3f  %5.0f MB  %7d  %7d  %8d  %@", n, t.cpu, t.cpu / Double(n), t.rssMB, t.skipped, t.dropped, t.startSkipped,
                         t.passed ? "held" : "NOT HELD"))
            return t
        }
        let one = try await measure(1)
        var best = one.passed ? 1 : 0
        if let counts {
            for n in counts.split(separator: ",").compactMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) where n > 0 {
                if try await measure(n).passed { best = Swift.max(best, n) }
            }
        } else if one.passed {
            // Doubling, then halving the gap between the last count held and the first not held.
            var failed: Int?
            var n = 2
            while n <= max {
                if try await measure(n).passed { best = n; n *= 2 } else { failed = n; break }
            }
            if n > max, best < max, try await measure(max).passed { best = max }
            if var high = failed {
                while high - best > 1 {
                    let mid = (best + high) / 2
                    if try await measure(mid).passed { best = mid } else { high = mid }
                }
            }
        }
        guard best > 0, let held = trials[best] else {
            print("  not even one channel held its frames on this machine now")
            throw ExitCode(1)
        }
        // Memory per extra channel needs two held counts; with one, it was not measured.
        let perExtra: Double? = best > 1 ? (held.rssMB - one.rssMB) / Double(best - 1) : nil
        print(String(format: "  held: %d channels — %.3f of a core each, ", best, held.cpu / Double(best))
              + (perExtra.map { String(format: "%.0f MB resident per extra channel", $0) } ?? "no second count held to measure memory per extra channel")
              + String(format: " (%.0f MB with one)", one.rssMB))
        let memory = perExtra.map { $0 <= 60 ? "met" : "MISSED" } ?? "not measured"
        print("  target: ≥ 16 channels of 1280x720@30 — \(best >= 16 ? "met" : "MISSED"); ≤ 60 MB per extra channel — \(memory)")
    }

    /// One count: the station started, watched once all are on air, stopped with SIGTERM.
    func trial(_ n: Int, folder: String, nginxPort: Int) async throws -> Trial {
        var station = "channels:\n"
        for i in 1...n {
            station += "  - name: c\(i)\n    schedule: night.schedule.yaml\n    push: rtmp://127.0.0.1:\(nginxPort)/live/bench\(i)\n    size: \(size)\n    fps: \(fps)\n"
        }
        let file = folder + "/bench\(n).station.yaml"
        try station.write(toFile: file, atomically: true, encoding: .utf8)
        let port = try LiveBench.freePort()
        try? FileManager.default.removeItem(atPath: folder + "/state.db")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = ["run", "--station", file, "--state-db", folder + "/state-\(n).db", "--control", "127.0.0.1:\(port)", "--token", "none"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        let pid = process.processIdentifier
        Terminal.error("\(n) channel\(n == 1 ? "" : "s"): starting…")
        // All on air (each takes a second or two: they start one after another).
        var start: Totals?
        let startDeadline = ContinuousClock.now + .seconds(30 + 5 * n)
        while ContinuousClock.now < startDeadline, process.isRunning {
            if let t = Totals.read(port: port), t.onAir == n { start = t; break }
            try await Task.sleep(for: .milliseconds(500))
        }
        guard let start else { throw ValidationError("the \(n) channels did not all get on air (is nginx with the RTMP module installed?)") }
        let cpu0 = Self.cpuSeconds(pid), wall0 = ContinuousClock.now
        var rss = 0.0
        let end = wall0 + .milliseconds(duration.milliseconds)
        while ContinuousClock.now < end, process.isRunning {
            try await Task.sleep(for: .seconds(1))
            rss = Swift.max(rss, Self.residentMB(pid))
        }
        let cpu = (Self.cpuSeconds(pid) - cpu0) / (ContinuousClock.now - wall0).inSeconds
        guard let last = Totals.read(port: port) else { throw ValidationError("the station stopped answering during the trial") }
        return Trial(channels: n, cpu: cpu, rssMB: rss, skipped: last.skipped - start.skipped, dropped: last.dropped - start.dropped,
                     startSkipped: start.skipped)
    }

    /// A station's totals from its `/status`.
    struct Totals {
        var onAir: Int, skipped: Int, dropped: Int

        static func read(port: Int) -> Totals? {
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = ["-s", "-m", "5", "http://127.0.0.1:\(port)/status"]
            let pipe = Pipe()
            curl.standardOutput = pipe
            curl.standardError = FileHandle.nullDevice
            guard (try? curl.run()) != nil else { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            curl.waitUntilExit()
            guard let channels = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return nil }
            var t = Totals(onAir: 0, skipped: 0, dropped: 0)
            for c in channels {
                if c["onAir"] as? Bool == true { t.onAir += 1 }
                t.skipped += c["framesSkipped"] as? Int ?? 0
                for d in c["destinations"] as? [[String: Any]] ?? [] { t.dropped += (d["droppedVideo"] as? Int ?? 0) + (d["droppedAudio"] as? Int ?? 0) }
            }
            return t
        }
    }

    /// User + system CPU seconds of a process, from /proc.
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func residentMB(_ pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
