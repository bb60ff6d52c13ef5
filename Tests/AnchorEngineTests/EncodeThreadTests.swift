import AnchorCore
@testable import AnchorEngine
import AnchorMedia
import AnchorScript
import AnchorTestSupport
import Foundation
import NIOPosix
import Synchronization
import Testing

/// A preview encodes on a thread of its own: the same packets in the same order as on one
/// thread, and a failing packet hook still ends the run with its error.
@Suite struct EncodeThreadTests {
    struct Failure: Error, Equatable {}

    /// A value the test and the encoding thread share.
    final class Shared<Value: Sendable>: Sendable {
        let lock: Mutex<Value>
        init(_ value: Value) { lock = Mutex(value) }
    }

    /// A show of a moving clip with a tone in a window beside the idle avatar. No speech:
    /// espeak-ng says a text a little differently each time in a process (docs/VOICE.md), and
    /// the runs compared must see the same input.
    static func run(onOwnThread: Bool, clip: String = "", speech: Bool = false, onPacket: @escaping (EncodedPacket) throws -> Void) async throws -> LiveRenderer.Status {
        let show = "---\ntitle: t\n---\n# One\n" + (speech ? "Good evening, this is a short line for the test.\n" : "@play \(clip) window\n")
        let rundown = try #require(ScriptCompiler.parse(show, path: "t.show.md").compile(catalog: nil, seed: 7).rundown)
        var options = LiveRenderer.Options(video: VideoSettings(width: 160, height: 90, fps: 15))
        options.paced = false
        options.duration = 4 * Int(MediaTime.sampleRate)
        options.encodesOnOwnThread = onOwnThread
        var hooks = LiveRenderer.Hooks()
        hooks.onPacket = onPacket
        return try await LiveRenderer(program: Program(id: "t", rundown: rundown, catalog: nil), avatarFolder: TestSupport.path("Models/juno"))
            .run(to: [], options: options, group: MultiThreadedEventLoopGroup.singleton, hooks: hooks, status: { _ in }, shouldStop: { false })
    }

    static func record(onOwnThread: Bool, clip: String) async throws -> (packets: [EncodedPacket], threads: Set<String>) {
        let seen = Shared<(packets: [EncodedPacket], threads: Set<String>)>(([], []))
        _ = try await run(onOwnThread: onOwnThread, clip: clip) { p in
            // The kernel's name for the calling thread.
            let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            seen.lock.withLock { $0.packets.append(p); $0.threads.insert(name) }
        }
        return seen.lock.withLock { $0 }
    }

    @Test func theEncodingThreadMakesTheSamePacketsInTheSameOrder() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let clip = try TestSupport.ffmpeg(["-f", "lavfi", "-i", "testsrc=s=160x90:r=30:d=5", "-f", "lavfi", "-i", "sine=frequency=440:duration=5",
                                           "-c:v", "libx264", "-c:a", "aac", "-shortest"], writing: dir.appendingPathComponent("clip.mp4").path)
        let one = try await Self.record(onOwnThread: false, clip: clip), two = try await Self.record(onOwnThread: true, clip: clip)
        #expect(two.threads == ["anchor.encode"], "packets came from \(two.threads)")
        #expect(!one.threads.contains("anchor.encode"))
        #expect(one.packets.filter { $0.kind == .video }.count == 60)
        #expect(one.packets.count == two.packets.count)
        let differ = zip(one.packets, two.packets).enumerated().filter { _, p in
            p.0.kind != p.1.kind || p.0.pts != p.1.pts || p.0.dts != p.1.dts || p.0.isKeyframe != p.1.isKeyframe || p.0.data != p.1.data
        }.map { "\($0.offset):\($0.element.0.kind):\($0.element.0.pts)" }
        #expect(differ.isEmpty, "packets differ: \(differ)")
    }

    @Test func aFailingPacketHookEndsTheRunWithItsError() async throws {
        let count = Shared(0)
        await #expect(throws: Failure.self) {
            _ = try await Self.run(onOwnThread: true, speech: true) { _ in
                if count.lock.withLock({ $0 += 1; return $0 }) == 10 { throw Failure() }
            }
        }
        // The run stopped soon after: the jobs after the failure were not run.
        #expect(count.lock.withLock { $0 } < 60)
    }

    @Test func jobsRunInOrderAndPicturesAreLentOneAtATime() throws {
        let thread = EncodeThread(pictures: 2)
        let order = Shared<[Int]>([])
        let lent = Shared((now: 0, most: 0))
        for n in 0..<200 {
            thread.waitForPicture()
            lent.lock.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            try thread.submit(.picture) {
                lent.lock.withLock { $0.now -= 1 }
                order.lock.withLock { $0.append(n) }
            }
            try thread.submit(.sound) { order.lock.withLock { $0.append(-n) } }
        }
        try thread.finish()
        #expect(order.lock.withLock { $0 } == (0..<200).flatMap { [$0, -$0] })
        #expect(lent.lock.withLock { $0.most } == 2, "two pictures lent at most, and both used")
        #expect(thread.cpuSeconds.picture >= 0)
    }

    @Test func aJobsErrorIsThrownByTheNextSubmitOrByFinish() throws {
        let thread = EncodeThread(pictures: 1)
        try thread.submit(.sound) { throw Failure() }
        #expect(throws: Failure.self) { try thread.finish() }
        #expect(throws: Failure.self) { try thread.submit(.sound) {} }
    }
}
