import ArgumentParser

@main
struct Anchor: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "anchor",
        abstract: "A virtual live-commerce host: turns show scripts and a product catalog into a live stream.",
        discussion: """
        Shows are Markdown files (*.show.md) with a YAML header, '#' segments, '[intent]' tags,
        *stress*, {product.name} variables, {a|b} variants and {pause 400ms} directives.

        Start here:
          anchor init my-shop                      scaffold a project that passes 'check'
          anchor check Scripts/                    lint shows like a compiler (file:line:col)
          anchor narrate Scripts/demo.show.md      print what the host will say, and why
          anchor say "Only *$5* tonight!" -o a.wav speak a line (espeak-ng), with its timeline
          anchor frame Scripts/demo.show.md --at 12s -o f.png   a still of the show at a moment
          anchor preview Scripts/demo.show.md -o demo.mp4         render the show to MP4, faster than real time
          anchor catalog import products.json      load the catalog into ./anchor.db

        Exit codes: 0 success, 1 the input has errors (diagnostics say where), 64 bad command line.
        """,
        version: version,
        subcommands: [Check.self, Narrate.self, Say.self, Frame.self, Preview.self, Voices.self, Init.self, CatalogCommand.self, Bench.self]
    )
}
