import AnchorCommandLine
import AnchorCore
import AnchorScript
import ArgumentParser
import Foundation

struct Narrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what a show will say: segments, lines with their intent and why, stress and cues.",
        discussion: """
        The same seed always gives the same narration; change --seed to hear other {a|b} variants. \
        Shows with errors print their diagnostics and exit 1.

        Examples:
          anchor narrate Scripts/demo.show.md
          anchor narrate Scripts/demo-zh.show.md --seed 42
          anchor narrate night.show.md --catalog products.json --json | jq '.segments[0]'
        """
    )

    @Argument(help: ArgumentHelp("The show to narrate.", valueName: "show"))
    var show: String

    @Option(help: "Seed for variants and particles (default: the show's 'seed:', else 1).")
    var seed: UInt64?

    @OptionGroup var catalogOptions: CatalogOptions

    @Flag(name: .long, help: "Print the rundown as JSON.")
    var json = false

    @Flag(name: .long, help: "Leave out why each line has its intent.")
    var brief = false

    func run() throws {
        let rundown = try ShowLoader(path: show, catalogOptions: catalogOptions, seed: seed).load().rundown
        if json {
            print(try JSONOutput.string(rundown))
        } else {
            print(RundownPrinter(color: Terminal.wantsColor(STDOUT_FILENO), reasons: !brief).render(rundown), terminator: "")
        }
    }
}
