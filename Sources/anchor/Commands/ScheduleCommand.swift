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
