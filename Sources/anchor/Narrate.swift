import AnchorCore
import AnchorScript
import ArgumentParser
import Foundation

struct Narrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what a show will say: segments, lines with their intent and why, stress and cues.",
        discussion: """
        The same seed always gives the same narration; change --seed to hear other {a|b} variants.
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
        let parsed = ScriptCompiler.parse(fileAt: show)
        var cache: [String: Catalog] = [:]
        let compiled: CompiledShow
        do {
            let catalog = try catalogOptions.resolve(for: parsed, cache: &cache)
            if catalog == nil, parsed.syntax.segments.contains(where: \.eachProduct) {
                Terminal.error("error: \(show) repeats segments per product, but no catalog was found")
                Terminal.error("hint: pass --catalog FILE or --db FILE, set 'catalog:' in the show, or run 'anchor catalog import FILE'")
                throw ExitCode(1)
            }
            compiled = parsed.compile(catalog: catalog?.0, seed: seed)
        } catch let error as DiagnosticsError {
            Terminal.print(error.diagnostics) { _ in nil }
            throw ExitCode(1)
        }
        Terminal.print(compiled.diagnostics) { parsed.source.line($0.line) }
        guard let rundown = compiled.rundown else {
            Terminal.error(DiagnosticFormatter.summary(compiled.diagnostics))
            throw ExitCode(1)
        }
        if json {
            print(try JSONOutput.string(rundown))
        } else {
            print(RundownPrinter(color: Terminal.wantsColor(STDOUT_FILENO), reasons: !brief).render(rundown), terminator: "")
        }
    }
}
