import AnchorAvatar
import AnchorCore
@testable import AnchorEngine
import AnchorScript
import AnchorTestSupport
import Foundation
import Synchronization
import Testing

/// A station's loader for tests: the show file compiled without a catalog, named by its file name.
func loadShow(_ path: String) -> Result<Program, Station.ShowProblem> {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8),
          let rundown = ScriptCompiler.parse(text, path: path).compile(catalog: nil, seed: 7).rundown else {
        return .failure(.init(path: path, message: "does not compile"))
    }
    return .success(Program(id: (path as NSString).lastPathComponent, rundown: rundown, catalog: nil))
}

@Suite struct StationTests {
    /// A scheduled show that cannot compile (its database is missing) keeps the station off air
    /// without being compiled and logged again at every segment start of the holding loop: it is
    /// tried again once a minute, reported again only when its file changed, and airs as soon as
    /// it compiles.
    @Test func aShowThatCannotAirIsRetriedNowAndThenAndReportedOnce() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let show = dir.appendingPathComponent("night.show.md")
        try "---\ntitle: night\nloop: true\n---\n# One\nA line.\n".write(to: show, atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("night.schedule.yaml").path
        try """
            timezone: Europe/Berlin
            entries:
              - {name: night, days: daily, from: "20:00", to: "23:30", show: night.show.md}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let (loaded, diagnostics) = Schedule.load(path: path)
        let schedule = try #require(loaded, "\(diagnostics)")
        let start = try #require(ISO8601DateFormatter().date(from: "2026-11-23T19:30:00Z")) // 20:30 in Berlin
        let wall = Mutex(start), broken = Mutex(true), compiles = Mutex(0), rejected = Mutex(0)
        let station = Station(schedule: schedule, load: { path in
            compiles.withLock { $0 += 1 }
            if broken.withLock({ $0 }) { return .failure(.init(path: path, message: "no database here")) }
            return loadShow(path)
        }, clock: { wall.withLock { $0 } }, compiling: .inline, report: { event in
            if case .rejected = event { rejected.withLock { $0 += 1 } }
        })

        #expect(station.opening(saved: nil).program.id == Station.offAirID)
        #expect(compiles.withLock { $0 } == 1 && rejected.withLock { $0 } == 1)
        // The holding loop's segment starts, a few seconds apart: no recompiling, no new log line.
        for second in 1...20 {
            wall.withLock { $0 = start.addingTimeInterval(Double(second) * 2) }
            #expect(station.willEnterSegment(Station.offAirID, .start, false) == nil)
        }
        #expect(compiles.withLock { $0 } == 1 && rejected.withLock { $0 } == 1)
        #expect(station.problems[show.path] == "no database here")

        // A minute later it is tried again; the same problem is not logged again.
        wall.withLock { $0 = start.addingTimeInterval(Station.retryInterval + 1) }
        #expect(station.willEnterSegment(Station.offAirID, .start, false) == nil)
        #expect(compiles.withLock { $0 } == 2 && rejected.withLock { $0 } == 1)

        // An edit is tried at once, and its problem reported.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(30)], ofItemAtPath: show.path)
        #expect(station.willEnterSegment(Station.offAirID, .start, false) == nil)
        #expect(compiles.withLock { $0 } == 3 && rejected.withLock { $0 } == 2)

        // Once it compiles (the database appeared), the next retry puts it on air.
        broken.withLock { $0 = false }
        wall.withLock { $0 = start.addingTimeInterval(2 * Station.retryInterval + 2) }
        #expect(station.willEnterSegment(Station.offAirID, .start, false)?.id == "night.show.md")
        #expect(station.problems.isEmpty)
    }

    /// Issue 17: a valid edit that takes seconds to compile froze the picture, because the live
    /// loop compiled it at the segment start. Now the segment start returns at once, the current
    /// version goes on, and the new one takes over at a segment start after it compiled.
    @Test func anEditIsCompiledOffTheLiveLoop() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let show = dir.appendingPathComponent("night.show.md")
        try "---\ntitle: night\nloop: true\n---\n# One\nA line.\n# Two\nAnother.\n".write(to: show, atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("night.schedule.yaml").path
        try "entries:\n  - {name: all, days: daily, from: \"00:00\", to: \"00:00\", show: night.show.md}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let schedule = try #require(Schedule.load(path: path).0)
        let slow = Mutex(false), reloaded = Mutex(0)
        let station = Station(schedule: schedule, load: { path in
            if slow.withLock({ $0 }) { Thread.sleep(forTimeInterval: 1.5) }
            // Named by its path, as `anchor run` names shows.
            return loadShow(path).map { Program(id: path, rundown: $0.rundown, catalog: nil) }
        }, report: { event in if case .reloaded = event { reloaded.withLock { $0 += 1 } } })
        let first = station.opening(saved: nil).program
        #expect(first.rundown.segments.count == 2)

        slow.withLock { $0 = true }
        try "---\ntitle: night\nloop: true\n---\n# One\nA line.\n# Two\nAnother.\n# Three\nMore.\n".write(to: show, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: show.path)
        let clock = ContinuousClock()
        let took = clock.measure {
            #expect(station.willEnterSegment(first.id, ShowPosition(pass: 0, segment: 1), false) == nil)
        }
        #expect(took < .milliseconds(500), "the segment start waited \(took) for the compile")
        #expect(station.willEnterSegment(first.id, ShowPosition(pass: 0, segment: 1), false) == nil) // still compiling: not twice
        station.waitForCompiles()
        let next = try #require(station.willEnterSegment(first.id, ShowPosition(pass: 0, segment: 1), false))
        #expect(next.rundown.segments.count == 3)
        #expect(next.position.segment == 1)
        #expect(reloaded.withLock { $0 } == 1)
        #expect(station.willEnterSegment(first.id, ShowPosition(pass: 0, segment: 2), false) == nil) // handed out once
    }
}

extension StationTests {
    /// A show mounted from a Kubernetes ConfigMap: `night.show.md` → `..data/night.show.md`,
    /// `..data` → a timestamped folder; an update writes a new folder and swaps `..data`. The
    /// edit is seen (the link itself never changes).
    @Test func anEditMountedFromAConfigMapIsSeen() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let fm = FileManager.default
        func version(_ name: String, _ text: String) throws {
            let folder = dir.appendingPathComponent(name)
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: folder.appendingPathComponent("night.show.md"), atomically: true, encoding: .utf8)
            try fm.setAttributes([.modificationDate: Date().addingTimeInterval(name == "..v1" ? -60 : 0)], ofItemAtPath: folder.appendingPathComponent("night.show.md").path)
        }
        try version("..v1", "---\ntitle: night\nloop: true\n---\n# One\nA line.\n")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("..data").path, withDestinationPath: "..v1")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("night.show.md").path, withDestinationPath: "..data/night.show.md")
        let path = dir.appendingPathComponent("night.schedule.yaml").path
        try "entries:\n  - {name: all, days: daily, from: \"00:00\", to: \"00:00\", show: night.show.md}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let schedule = try #require(Schedule.load(path: path).0)
        let station = Station(schedule: schedule, load: { p in loadShow(p).map { Program(id: p, rundown: $0.rundown, catalog: nil) } }, compiling: .inline)
        let first = station.opening(saved: nil).program
        #expect(first.rundown.segments.count == 1)
        #expect(station.willEnterSegment(first.id, .start, false) == nil, "nothing changed yet")

        // The kubelet's update: a new folder, then `..data` swapped by rename.
        try version("..v2", "---\ntitle: night\nloop: true\n---\n# One\nA line.\n# Two\nAnother.\n")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("..data_tmp").path, withDestinationPath: "..v2")
        #expect(rename(dir.appendingPathComponent("..data_tmp").path, dir.appendingPathComponent("..data").path) == 0)
        let next = try #require(station.willEnterSegment(first.id, .start, false))
        #expect(next.rundown.segments.count == 2)
    }
}

@Suite struct WarmupTests {
    /// A schedule entry with a warm-up: before its window the station airs the clip, full
    /// screen with a countdown to the start, and the show follows within the planning horizon
    /// of the start — driven here by a live Director whose audio clock moves the wall clock.
    @Test func theWarmupCountsDownAndTheShowFollowsAtItsStart() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let clip = try TestSupport.colourClip(dir.appendingPathComponent("teaser.mp4").path, size: "160x90", seconds: 2.5, tone: 500)
        try "---\ntitle: night\nloop: true\n---\n# One\nGood evening, the deals start now.\n"
            .write(to: dir.appendingPathComponent("night.show.md"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("night.schedule.yaml").path
        try """
            timezone: Europe/Berlin
            entries:
              - {name: night, days: daily, from: "20:00", to: "23:30", show: night.show.md, warmup: teaser.mp4, warmup_for: 2m}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let (loaded, diagnostics) = Schedule.load(path: path)
        let schedule = try #require(loaded, "\(diagnostics)")
        #expect(diagnostics.isEmpty)
        let showStart = try #require(ISO8601DateFormatter().date(from: "2026-11-23T19:00:00Z")) // 20:00 in Berlin
        // The plan: filler-less gap, then 2 minutes of warm-up, then the show.
        let plan = schedule.plan(from: showStart.addingTimeInterval(-600), to: showStart.addingTimeInterval(60))
        #expect(plan.map(\.isWarmup) == [true, false])
        #expect(plan.first?.start == showStart.addingTimeInterval(-120) && plan.first?.end == showStart && plan.first?.show == clip)

        let opened = showStart.addingTimeInterval(-20)
        let wall = Mutex(opened)
        let station = Station(schedule: schedule, load: loadShow, clock: { wall.withLock { $0 } }, compiling: .inline)
        let opening = station.opening(saved: nil).program
        #expect(opening.id.hasPrefix("warm-up night"))
        let rig = try Rig.load(from: TestSupport.path("Models/juno/rig.json"))
        let director = LiveDirector(program: opening, rig: rig)
        director.willEnterSegment = { station.willEnterSegment($0, $1, $2) }
        var switchedAt: Double?
        var countdowns: [Int: Int] = [:]
        var clipShown = 0
        for _ in 0..<(26 * 30) {
            try await director.plan()
            let t = director.audioPosition
            wall.withLock { $0 = opened.addingTimeInterval(Double(t) / 48_000) }
            let state = director.sampler.state(at: t)
            if let w = state.warmup { countdowns[t / 48_000] = w.secondsLeft; #expect(w.startsAt == "20:00") }
            if state.clip?.placement == .full { clipShown += 1 }
            _ = director.read(1_600)
            for m in director.passed(upTo: director.audioPosition) where switchedAt == nil && m.program == "night.show.md" {
                switchedAt = Double(m.at) / 48_000
            }
        }
        // The countdown goes down with the clock, second by second.
        #expect(countdowns[0] == 20 && countdowns[10] == 10 && countdowns[19] == 1, "\(countdowns.sorted { $0.key < $1.key })")
        #expect(clipShown > 19 * 30, "the clip shows through the warm-up (\(clipShown) frames)")
        let at = try #require(switchedAt, "the show never started")
        #expect(at >= 20 && at < 22.5, "the show started at \(at) s, the warm-up was 20 s")
    }
}
