import AnchorAvatar
import AnchorEngine
import AnchorCommandLine
import AnchorCore
import ArgumentParser
import Foundation

public struct Bench: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Measure anchor's speed against reference tools, in the same run.",
        discussion: "Build in release mode first (scripts/setup.sh does). `anchor bench` alone runs `anchor bench show`.",
        subcommands: [ShowBench.self, LiveBench.self, ChannelsBench.self, QualityBench.self, ChatBench.self, VoiceBench.self, AvatarBench.self, AnalyticsBench.self],
        defaultSubcommand: ShowBench.self
    )
}

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

/// Timing helpers shared by the benchmarks.
enum BenchClock {

    static func time(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        return (ContinuousClock.now - start).inSeconds
    }

    static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

    /// CPU seconds (user + system) of all child processes reaped so far.
    static func childrenCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
