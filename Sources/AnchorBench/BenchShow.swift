import AnchorAvatar
import AnchorEngine
import AnchorCommandLine
import AnchorCore
import ArgumentParser
import Foundation

/// The show the live benchmarks play: the overnight loop with a fixed seed, staged; nil when
/// anchor's Scripts/ folder is not found.
struct BenchShow {
    let path: String
    let loaded: ShowLoader.Loaded
    let avatarFolder: String
    let background: Background

    /// The show a benchmark was given, else anchor's demo show.
    static func path(_ given: String?) throws -> String {
        if let given { return given }
        guard let scripts = Assets.folder("Scripts", containing: "demo.show.md", nearShow: nil) else {
            Terminal.error("error: cannot find Scripts/demo.show.md (run from the anchor folder or set ANCHOR_HOME)")
            throw ExitCode(1)
        }
        return scripts + "/demo.show.md"
    }

    static func overnight() throws -> BenchShow? {
        guard let scripts = Assets.folder("Scripts", containing: "overnight.show.md", nearShow: nil) else { return nil }
        let path = scripts + "/overnight.show.md"
        let loaded = try ShowLoader(path: path, catalogOptions: try CatalogOptions.parse([]), seed: 7).load()
        let (folder, background) = try loaded.stage(showPath: path, avatar: nil, background: nil)
        return BenchShow(path: path, loaded: loaded, avatarFolder: folder, background: background)
    }
}
