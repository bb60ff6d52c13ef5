import AnchorCore
@testable import AnchorEngine
import AnchorMedia
import AnchorTestSupport
import Foundation
import NIOPosix
import Synchronization
import Testing

/// The wall clock jumps (an NTP step, someone setting the date): the schedule follows it at the
/// next segment start, while media time — frame and sample counts — only goes forward.
/// The whole live pipeline runs (director, drawing, x264, AAC), unpaced, with the station's wall
/// clock under the test's control. (libfaketime, which would do this to the CLI from outside,
/// leaves Swift's CommandLine.arguments empty, so the CLI cannot be run under it.)
@Suite struct ClockJumpTests {
    final class Seen: @unchecked Sendable {
        var segments: [String] = []
        var video: [Int64] = []
        var audio: [Int64] = []
    }

    @Test func theScheduleFollowsAJumpBothWaysAndMediaTimeStaysMonotonic() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        for name in ["early", "later"] {
            try "---\ntitle: \(name)\nloop: true\n---\n# \(name) one\nA short segment.\n# \(name) two\nAnother short one.\n"
                .write(to: dir.appendingPathComponent("\(name).show.md"), atomically: true, encoding: .utf8)
        }
        let path = dir.appendingPathComponent("jump.schedule.yaml").path
        try """
            timezone: Europe/Berlin
            entries:
              - {name: early, days: daily, from: "20:00", to: "21:30", show: early.show.md}
              - {name: later, days: daily, from: "22:00", to: "23:30", show: later.show.md}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let (loaded, diagnostics) = Schedule.load(path: path)
        let schedule = try #require(loaded, "\(diagnostics)")
        // 20:30 in Berlin (UTC+1 in November).
        let start = try #require(ISO8601DateFormatter().date(from: "2026-11-23T19:30:00Z"))
        let wall = Mutex(start)
        let station = Station(schedule: schedule, load: loadShow, clock: { wall.withLock { $0 } }, compiling: .inline)
        let (program, _) = station.opening(saved: nil)
        #expect(program.id == "early.show.md")

        let seen = Seen()
        var hooks = LiveRenderer.Hooks()
        hooks.willEnterSegment = { station.willEnterSegment($0, $1, $2) }
        hooks.onMarker = { m, _ in
            guard case .segment = m.kind else { return }
            seen.segments.append(m.program)
            // Two segments in: two hours forward. Two segments of the later show: back again.
            if seen.segments.count == 2 { wall.withLock { $0 += 2 * 3600 } }
            if seen.segments.filter({ $0 == "later.show.md" }).count == 2 { wall.withLock { $0 = start.addingTimeInterval(600) } }
        }
        hooks.onPacket = { p in
            if p.kind == .video { seen.video.append(p.pts) } else { seen.audio.append(p.pts) }
        }
        var options = LiveRenderer.Options(video: VideoSettings(width: 160, height: 90, fps: 10))
        options.paced = false
        options.duration = 30 * Int(MediaTime.sampleRate)
        _ = try await LiveRenderer(program: program, avatarFolder: TestSupport.path("Models/juno"))
            .run(to: [], options: options, group: MultiThreadedEventLoopGroup.singleton, hooks: hooks, status: { _ in }, shouldStop: { false })

        // The jump comes as the second segment starts; the director has usually planned the next
        // segment already (it works 2 s ahead), so the later show takes over at the next one or
        // the one after. The same going back.
        let s = seen.segments
        #expect(s.count >= 8, "\(s)")
        let later = try #require(s.firstIndex(of: "later.show.md"), "\(s)")
        #expect((2...3).contains(later), "\(s)")
        let back = try #require(s.indices.filter { s[$0] == "later.show.md" }.dropFirst().first, "\(s)")
        let early = try #require(s[(back + 1)...].firstIndex(of: "early.show.md"), "\(s)")
        #expect(early - back <= 2, "\(s)")
        #expect(s[early...].allSatisfy { $0 == "early.show.md" }, "\(s)")
        // Frames and samples count up one by one, whatever the wall clock did.
        #expect(seen.video.count >= 290)
        #expect(zip(seen.video, seen.video.dropFirst()).allSatisfy { $1 == $0 + 1 }, "video pts not consecutive")
        #expect(zip(seen.audio, seen.audio.dropFirst()).allSatisfy { $1 == $0 + 1024 }, "audio pts not consecutive")
    }
}
