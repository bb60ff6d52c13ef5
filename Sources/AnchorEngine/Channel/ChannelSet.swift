import Logging
import ServiceLifecycle

/// Several channels as one service: they air side by side, each on its own frame thread, and
/// one that fails (a dead encoder, an error in its frame loop) stops alone — it is logged and
/// shown failed on the station page and `/readyz` while the others go on. With a single
/// channel its error is the run's error.
public struct ChannelSet: Service {
    public let channels: [Channel]
    let logger: Logger

    public init(_ channels: [Channel], logger: Logger) {
        self.channels = channels
        self.logger = logger
    }

    /// Returns once every channel is on air (or has ended).
    public func onAir() async {
        for c in channels { await c.onAir() }
    }

    /// The longest a channel's start holds up the next one's.
    static let startStagger = Duration.seconds(3)

    public func run() async throws {
        if channels.count == 1 { return try await channels[0].run() }
        await withTaskGroup(of: Void.self) { group in
            for channel in channels {
                group.addTask { [logger] in
                    do { try await channel.run() } catch {
                        logger.error("channel stopped on an error; the others go on", metadata: ["channel": "\(channel.name)", "error": "\(error)"])
                    }
                }
                // One at a time onto the air: a start (speech for the first lines, avatar parts,
                // encoder, connect) costs several seconds of frames' CPU, and sixteen at once
                // made every channel skip frames for its first seconds.
                await withTaskGroup(of: Void.self) { wait in
                    wait.addTask { await channel.onAir() }
                    wait.addTask { try? await Task.sleep(for: Self.startStagger) }
                    await wait.next()
                    wait.cancelAll()
                }
            }
        }
    }
}
