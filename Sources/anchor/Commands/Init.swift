import AnchorCommandLine
import ArgumentParser
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new anchor project: a show, a catalog, and placeholders for chat rules and a schedule.",
        discussion: """
        The new project passes 'anchor check' as it is. Existing files are never overwritten \
        unless --force is given.

        Example:
          anchor init my-shop && cd my-shop && anchor narrate Scripts/main.show.md
        """
    )

    @Argument(help: ArgumentHelp("The folder to create (it may exist, but not hold these files).", valueName: "dir"))
    var directory: String

    @Flag(help: "Overwrite files that already exist.")
    var force = false

    func run() throws {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: directory)
        let files = ProjectTemplate.files
        let clashes = files.map(\.path).filter { fm.fileExists(atPath: root.appendingPathComponent($0).path) }
        if !clashes.isEmpty && !force {
            Terminal.error("error: \(directory) already has " + clashes.joined(separator: ", "))
            Terminal.error("hint: choose another folder, or pass --force to overwrite them")
            throw ExitCode(1)
        }
        do {
            for file in files {
                let url = root.appendingPathComponent(file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url, options: .atomic)
                print("  created \(directory.hasSuffix("/") ? directory : directory + "/")\(file.path)")
            }
        } catch {
            Terminal.error("error: cannot write to \(directory): \((error as NSError).localizedDescription)")
            throw ExitCode(1)
        }
        print("""

        Next:
          cd \(directory)
          anchor check Scripts/                      # lint the show
          anchor narrate Scripts/main.show.md        # hear it on paper
          anchor catalog import Assets/catalog.json  # load products into ./anchor.db
        """)
    }
}
