import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorScript
import ArgumentParser
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check show scripts for errors, like a compiler.",
        discussion: """
        Reports every problem as file:line:col with the source line and a caret, and exits 1 \
        when any show has errors (a show with errors never airs). Folders are searched for \
        *.show.md files, and for chat rules (*.rules.yaml), schedules (*.schedule.yaml) and \
        station files (*.station.yaml), which are checked too. Products are checked against --catalog, --db, the show's \
        'catalog:' key, or ./anchor.db, in that order.

        Examples:
          anchor check Scripts/
          anchor check night.show.md --catalog products.csv
          anchor check Scripts/*.show.md --json > report.json
        """
    )

    @Argument(help: ArgumentHelp("Show files or folders to check.", valueName: "file"))
    var files: [String]

    @OptionGroup var catalogOptions: CatalogOptions

    @Flag(name: .long, help: "Print diagnostics as JSON on standard output.")
    var json = false

    @Flag(name: .customLong("warnings-as-errors"), help: "Exit 1 on warnings too.")
    var warningsAsErrors = false

    func run() throws {
        let shows = ShowFiles.expand(files)
        var all: [Diagnostic] = []
        var cache: [String: Catalog] = [:]
        var sources: [String: SourceText] = [:]
        for note in shows.skipped { Terminal.error("note: skipping \(note)") }
        for path in shows.files {
            let parsed = ScriptCompiler.parse(fileAt: path)
            sources[path] = parsed.source
            var diagnostics: [Diagnostic]
            do {
                let catalog = try catalogOptions.resolve(for: parsed, cache: &cache)
                diagnostics = parsed.compile(catalog: catalog?.0, media: ShowMedia.resolve).diagnostics
            } catch {
                diagnostics = parsed.diagnostics + error.diagnostics
            }
            all += diagnostics
            if !json {
                Terminal.print(diagnostics) { sources[$0.file]?.line($0.line) }
                if diagnostics.isEmpty { print("\(path): ok") }
            }
        }
        // Chat rules and schedules beside the shows.
        for path in shows.rules {
            var found: [Diagnostic] = []
            do {
                let book = try RuleBook.load(path)
                found += ShowFiles.placeholderWarnings(book, path: path)
            } catch {
                found.append(.error(at: SourceLocation(file: path, line: 1, column: 1), error.description))
            }
            all += found
            if !json { Terminal.print(found) { _ in nil }; if found.isEmpty { print("\(path): ok") } }
        }
        for path in shows.stations {
            var (station, found) = StationFile.load(path: path)
            for c in station?.channels ?? [] where !FileManager.default.fileExists(atPath: c.schedule) {
                found.append(.error(at: c.location, "channel '\(c.name)': the schedule \(c.schedule) does not exist"))
            }
            all += found
            if !json { Terminal.print(found) { _ in nil }; if found.isEmpty { print("\(path): ok") } }
        }
        for path in shows.schedules {
            var (schedule, found) = Schedule.load(path: path)
            found += schedule.map(ShowMedia.warmups) ?? []
            for e in schedule?.entries ?? [] where !FileManager.default.fileExists(atPath: e.show) {
                found.append(.error(at: e.location, "the show \(e.show) does not exist"))
            }
            all += found
            let lines = (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n", omittingEmptySubsequences: false) ?? []
            if !json {
                Terminal.print(found) { $0.line >= 1 && $0.line <= lines.count ? String(lines[$0.line - 1]) : nil }
                if found.isEmpty { print("\(path): ok") }
            }
        }
        if json {
            print(try JSONOutput.string(CheckReport(files: shows.files + shows.rules + shows.schedules + shows.stations, diagnostics: all)))
        } else {
            print("checked \(shows.files.count) show\(shows.files.count == 1 ? "" : "s"): \(DiagnosticFormatter.summary(all))")
        }
        if shows.files.isEmpty {
            if !shows.rules.isEmpty || !shows.schedules.isEmpty || !shows.stations.isEmpty { if all.hasErrors { throw ExitCode(1) }; return }
            Terminal.error("error: no show files found in \(files.joined(separator: " "))")
            throw ExitCode(1)
        }
        if all.hasErrors || (warningsAsErrors && !all.isEmpty) { throw ExitCode(1) }
    }
}

enum JSONOutput {
    static func string(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
