import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorScript
import ArgumentParser
import Foundation

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Check a broadcast schedule and print what will air when.",
        discussion: """
        A schedule (*.schedule.yaml) names a time zone, entries that air a show on some days \
        within a window (22:00 to 02:00 crosses midnight), and a filler show for the gaps.

        Examples:
          anchor schedule check Scripts/week.schedule.yaml
          anchor schedule plan Scripts/week.schedule.yaml --from "2026-11-23 18:00" --hours 24
        """,
        subcommands: [ScheduleCheck.self, SchedulePlan.self]
    )
}

struct ScheduleCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Overlaps, missing shows and shows with errors, as file:line:col."
    )

    @Argument(help: "The schedule.")
    var file: String

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let (schedule, loadDiagnostics) = Schedule.load(path: file)
        var diagnostics = loadDiagnostics + (schedule.map(ShowMedia.warmups) ?? [])
        let source = try? String(contentsOfFile: file, encoding: .utf8)
        let lines = source.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
        var showDiagnostics: [Diagnostic] = []
        var sources: [String: SourceText] = [:]
        if let schedule {
            var cache: [String: Catalog] = [:]
            var checked = Set<String>()
            let shows = schedule.entries.map { ($0.show, $0.location) } + (schedule.filler.map { [($0, SourceLocation(file: file, line: 1, column: 1))] } ?? [])
            for (show, location) in shows where checked.insert(show).inserted {
                guard FileManager.default.fileExists(atPath: show) else {
                    diagnostics.append(.error(at: location, "the show \(show) does not exist"))
                    continue
                }
                let parsed = ScriptCompiler.parse(fileAt: show)
                sources[show] = parsed.source
                do {
                    let catalog = try catalogOptions.resolve(for: parsed, cache: &cache)
                    let found = parsed.compile(catalog: catalog?.0, media: ShowMedia.resolve).diagnostics
                    showDiagnostics += found
                    if found.hasErrors { diagnostics.append(.error(at: location, "the show \(show) has errors; it would never air")) }
                } catch {
                    showDiagnostics += error.diagnostics
                    diagnostics.append(.error(at: location, "the show \(show) cannot be compiled"))
                }
            }
        }
        Terminal.print(showDiagnostics) { sources[$0.file]?.line($0.line) }
        Terminal.print(diagnostics) { $0.line - 1 < lines.count && $0.line >= 1 ? lines[$0.line - 1] : nil }
        let all = diagnostics + showDiagnostics
        if let schedule, !all.hasErrors {
            print("\(file): ok — \(schedule.entries.count) entries in \(schedule.timeZone.identifier)" + (schedule.filler.map { ", filler \($0)" } ?? ", no filler (off air between entries)"))
        } else {
            print("\(file): \(DiagnosticFormatter.summary(all))")
        }
        if all.hasErrors { throw ExitCode(1) }
    }
}

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
