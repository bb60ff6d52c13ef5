import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorScript
import ArgumentParser
import Foundation

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
