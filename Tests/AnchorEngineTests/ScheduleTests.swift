import AnchorCore
@testable import AnchorEngine
import AnchorTestSupport
import Foundation
import Testing

@Suite struct ScheduleTests {
    func write(_ yaml: String) throws -> (URL, String) {
        let dir = try TestSupport.temporaryDirectory()
        let f = dir.appendingPathComponent("s.schedule.yaml")
        try yaml.write(to: f, atomically: true, encoding: .utf8)
        return (dir, f.path)
    }

    func date(_ s: String, _ zone: String) -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: zone)
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.date(from: s)!
    }

    @Test func windowsCrossMidnightAndGapsGetTheFiller() throws {
        let (dir, path) = try write("""
        timezone: America/New_York
        filler: loop.show.md
        entries:
          - {name: late, days: [fri], from: "23:00", to: "01:30", show: late.show.md}
          - {name: evening, days: daily, from: "19:00", to: "21:00", show: eve.show.md, loop: false}
        """)
        defer { TestSupport.cleanUp(dir) }
        let (schedule, diagnostics) = Schedule.load(path: path)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let s = try #require(schedule)
        // Friday 2026-11-27 18:00 to Saturday 03:00, New York time.
        let plan = s.plan(from: date("2026-11-27 18:00", "America/New_York"), to: date("2026-11-28 03:00", "America/New_York"))
        #expect(plan.map(\.name) == ["filler", "evening", "filler", "late", "filler"])
        let late = try #require(plan.first { $0.name == "late" })
        #expect(late.end.timeIntervalSince(late.start) == 2.5 * 3600)
        #expect(late.show == dir.appendingPathComponent("late.show.md").path, "shows are relative to the schedule")
        #expect(plan.first { $0.name == "evening" }?.loop == false)
        // The slots tile the range exactly.
        for (a, b) in zip(plan, plan.dropFirst()) { #expect(a.end == b.start) }
    }

    @Test func overlapsAcrossMidnightAndTheWeekEndAreFound() throws {
        let (dir, path) = try write("""
        timezone: UTC
        entries:
          - name: saturday late
            days: [sat]
            from: "23:00"
            to: "01:00"
            show: a.show.md
          - name: sunday early
            days: [sun]
            from: "00:30"
            to: "02:00"
            show: b.show.md
        """)
        defer { TestSupport.cleanUp(dir) }
        let (_, diagnostics) = Schedule.load(path: path)
        let e = try #require(diagnostics.first)
        #expect(e.message == "'sunday early' overlaps 'saturday late' on Sun from 00:30")
        #expect(e.location.line == 8 && e.location.column == 5)
    }

    @Test func badValuesNameTheirPlace() throws {
        let (dir, path) = try write("timezone: Nowhere/Land\nentries:\n  - name: x\n    days: [funday]\n    from: \"9pm\"\n    to: \"23:00\"\n    show: x.show.md\n")
        defer { TestSupport.cleanUp(dir) }
        let (_, diagnostics) = Schedule.load(path: path)
        #expect(diagnostics.map(\.message).contains("unknown time zone 'Nowhere/Land'"))
        #expect(diagnostics.contains { $0.message.contains("'from' must be a time") && $0.location.line == 5 })
    }

    @Test func aWarmupThatCannotPlayOrLastsTooLongIsNamedAtItsEntry() throws {
        let (dir, path) = try write("timezone: UTC\nentries:\n  - name: x\n    from: \"20:00\"\n    to: \"23:00\"\n    show: x.show.md\n    warmup: gone.mp4\n"
                                    + "  - name: y\n    from: \"10:00\"\n    to: \"11:00\"\n    show: x.show.md\n    warmup: gone.png\n    warmup_for: 9h\n")
        defer { TestSupport.cleanUp(dir) }
        let (schedule, diagnostics) = Schedule.load(path: path)
        #expect(diagnostics.contains { $0.message.contains("'warmup_for' is a time from 10s to 6h") && $0.location.line == 13 }, "\(diagnostics)")
        let media = ShowMedia.warmups(try #require(schedule))
        #expect(media.map(\.location.line) == [3, 8] && media.allSatisfy { $0.message.contains("does not exist") }, "\(media)")
        #expect(schedule?.entries.first?.warmupSeconds == Schedule.defaultWarmup)
    }
}
