import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorScript
import ArgumentParser
import Foundation

struct SchedulePlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Print what airs when, in the schedule's time zone.")

    @Argument(help: "The schedule.")
    var file: String

    @Option(help: "Start, as \"YYYY-MM-DD HH:MM\" in the schedule's time zone (default: now).")
    var from: String?

    @Option(help: "End, as \"YYYY-MM-DD HH:MM\" (default: --hours after the start).")
    var to: String?

    @Option(help: "How many hours to plan when --to is not given.")
    var hours = 24.0

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let (loaded, diagnostics) = Schedule.load(path: file)
        guard let schedule = loaded, !diagnostics.hasErrors else {
            Terminal.print(diagnostics) { _ in nil }
            throw ExitCode(1)
        }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = schedule.timeZone
        format.dateFormat = "yyyy-MM-dd HH:mm"
        func parse(_ s: String, _ option: String) throws -> Date {
            guard let d = format.date(from: s) else { throw ValidationError("\(option) takes a time like \"2026-11-23 22:00\", not '\(s)'") }
            return d
        }
        let start = try from.map { try parse($0, "--from") } ?? Date()
        let end = try to.map { try parse($0, "--to") } ?? start.addingTimeInterval(hours * 3600)
        guard end > start else { throw ValidationError("--to must be after --from") }
        let slots = schedule.plan(from: start, to: end)
        if json {
            struct Row: Encodable { var start: String; var end: String; var show: String; var name: String; var loop: Bool; var filler: Bool; var warmup: Bool }
            let iso = ISO8601DateFormatter()
            iso.timeZone = schedule.timeZone
            print(try JSONOutput.string(slots.map { Row(start: iso.string(from: $0.start), end: iso.string(from: $0.end), show: $0.show,
                                                         name: $0.name, loop: $0.loop, filler: $0.isFiller, warmup: $0.isWarmup) }))
            return
        }
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = schedule.timeZone
        day.dateFormat = "EEE yyyy-MM-dd HH:mm"
        let clock = DateFormatter()
        clock.locale = day.locale
        clock.timeZone = schedule.timeZone
        clock.dateFormat = "HH:mm"
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = schedule.timeZone
        print("\(file), \(schedule.timeZone.identifier):")
        if slots.isEmpty { print("  nothing airs (and there is no filler)") }
        for s in slots {
            let span = calendar.isDate(s.start, inSameDayAs: s.end) ? clock.string(from: s.end) : day.string(from: s.end)
            print("  \(day.string(from: s.start)) → \(span)  \((s.show as NSString).lastPathComponent)" + (s.isFiller ? "  (filler)" : s.isWarmup ? "  (warm-up for \(s.name))" : "  [\(s.name)]")
                  + (s.loop || s.isWarmup ? "" : "  once"))
        }
    }
}
