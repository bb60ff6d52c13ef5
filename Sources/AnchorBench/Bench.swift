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
