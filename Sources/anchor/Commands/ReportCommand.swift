import AnchorChat
import AnchorCommandLine
import AnchorEngine
import AnchorStore
import ArgumentParser
import Foundation

/// `anchor report`: the morning report as one HTML file.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The morning report: the night's timeline, per-product charts and the analyst's findings, as one HTML file.",
        discussion: """
        One self-contained file (no script, no network): open it in any browser, print it, mail \
        it. The findings are computed from the night: questions nobody could answer grouped by \
        topic with an FAQ entry drafted, products that drew questions but no answers, segments \
        where chat dropped, rules that never fired, bursts of blocked messages, reconnects.

          anchor report -o night.html                     the last 12 hours
          anchor report --since 24h --channel shop-a -o shop-a.html
          anchor replay export -o replay/ && anchor report -o night.html --replay replay/index.html
        """
    )

    @OptionGroup var night: NightOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("The chat rules the channel ran with, to find rules that never fired (default: as 'anchor run' finds them).", valueName: "file-or-folder"))
    var rules: String?

    @Option(help: ArgumentHelp("Where the report links to the replay page.", valueName: "url"))
    var replay = "replay/index.html"

    func run() async throws {
        let started = ContinuousClock.now
        let log = AnalyticsLog(database: try night.database())
        let (from, to) = night.window
        let summaries = try night.channels(log).map { try log.summary(channel: $0, from: from, to: to) }
        let ruleIDs = (try? ChatOptions.ruleBook(rules))?.rules.map(\.id)
        let findings = summaries.map { Analyst.findings($0, rules: ruleIDs) }
        let page = NightReport.html(summaries, findings: findings, replayLink: replay.isEmpty ? nil : replay)
        do { try page.write(toFile: output, atomically: true, encoding: .utf8) } catch {
            throw ValidationError("cannot write \(output): \(error.localizedDescription)")
        }
        let seconds = (ContinuousClock.now - started).inSeconds
        let n = findings.reduce(0) { $0 + $1.count }
        print(String(format: "wrote %@: %d channel%@, %d findings, %.0f KB in %.2f s", output, summaries.count, summaries.count == 1 ? "" : "s", n,
                     Double(page.utf8.count) / 1024, seconds))
        if summaries.isEmpty { Terminal.error("note: nothing aired in the last \(night.since) (the report says so)") }
    }
}
