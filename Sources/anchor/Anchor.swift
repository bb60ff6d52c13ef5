import AnchorBench
import ArgumentParser

@main
struct Anchor: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "anchor",
        abstract: "A virtual live-commerce host: turns show scripts and a product catalog into a live stream.",
        discussion: """
        Shows are Markdown files (*.show.md) with a YAML header, '#' segments, '[intent]' tags, \
        *stress*, {product.name} variables, {a|b} variants and {pause 400ms} directives.

        Start here:
          anchor init my-shop                   a project that passes 'check'
          anchor check Scripts/                 lint shows like a compiler
          anchor narrate Scripts/demo.show.md   what the host will say, and why
          anchor say "Only *$5*!" -o a.wav      speak a line, with its timeline
          anchor frame SHOW --at 12s -o f.png   a still of the show at a moment
          anchor preview SHOW -o demo.mp4       the show as MP4, fast
          anchor live SHOW --push rtmp://…      on air, to one or more ingests
          anchor catalog import products.json   load the catalog into ./anchor.db
          anchor draws --since 12h              the lucky draws that aired, checked

        Exit codes: 0 success, 1 the input has errors (the diagnostics say where), \
        64 a bad command line.
        """,
        version: version,
        subcommands: [Check.self, Narrate.self, Say.self, Frame.self, Preview.self, Live.self, Run.self, Soak.self, ChatCommand.self, ConnectCommand.self, DrawsCommand.self, StatsCommand.self, ReportCommand.self, ReplayCommand.self, ScheduleCommand.self, Voices.self, Init.self, CatalogCommand.self, Bench.self]
    )
}
