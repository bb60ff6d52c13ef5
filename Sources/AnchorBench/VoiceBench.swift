import AnchorCore
import AnchorVoice
import ArgumentParser
import Foundation

struct VoiceBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voice",
        abstract: "Speech synthesis speed: anchor's wrapper vs the espeak-ng command line on the same text."
    )

    @Option(help: "Runs of each measurement; the median is reported.")
    var runs = 5

    static let paragraph = """
    Good evening and welcome to the late night shop. Tonight we have a serum that works while you sleep, \
    a silk sleep mask that blocks every bit of light, and a tea set that keeps your tea warm for an hour. \
    Each one is on sale until the morning, and the links stay open all night, so take your time. \
    If you have a question, type it in the chat and I will answer it right away.
    """

    func run() async throws {
        let text = String(repeating: Self.paragraph + " ", count: 3)
        let engine = SpeechEngine.shared
        _ = try await engine.speak(Self.line("Warm up."))

        var cli: [Double] = [], raw: [Double] = [], full: [Double] = []
        var cliAudio = 0.0, rawAudio = 0.0, fullAudio = 0.0
        let wav = FileManager.default.temporaryDirectory.appendingPathComponent("anchor-bench-\(getpid()).wav").path
        defer { try? FileManager.default.removeItem(atPath: wav) }
        for _ in 0..<runs {
            cli.append(try await BenchClock.time { try Self.runCLI(["-v", "en-us", "-s", "165", "-w", wav, text]) })
            cliAudio = Double(((try? FileManager.default.attributesOfItem(atPath: wav)[.size] as? Int) ?? 44) - 44) / 2 / 22_050
            var samples = 0
            raw.append(try await BenchClock.time { samples = try await engine.synthesizeRaw(text, voice: "en-us") })
            rawAudio = Double(samples) / 22_050
            var clip: SpeechClip?
            full.append(try await BenchClock.time { clip = try await engine.speak(Self.line(text)) })
            fullAudio = clip.map { Double($0.samples.count) / Double(SpeechClip.sampleRate) } ?? 0
        }
        let lines = ["Tonight only three dollars.", "A second caller speaks too.", "And a third one.", "The fourth asks again."]
        let serial = try await BenchClock.time { for l in lines { _ = try await engine.speak(Self.line(l)) } }
        let concurrent = try await BenchClock.time {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for l in lines { group.addTask { _ = try await SpeechEngine.shared.speak(Self.line(l)) } }
                try await group.waitForAll()
            }
        }

        let tCLI = BenchClock.median(cli), tRaw = BenchClock.median(raw), tFull = BenchClock.median(full)
        func row(_ name: String, _ t: Double, _ audio: Double, _ note: String = "") -> String {
            "  " + name.padding(toLength: 26, withPad: " ", startingAt: 0) + String(format: "%7.3f s  %6.0f× real time", t, audio / t) + note
        }
        print(String(format: "anchor bench voice — English, %.1f s of speech, median of %d runs", cliAudio, runs))
        print(row("espeak-ng command line", tCLI, cliAudio))
        print(row("anchor, synthesis only", tRaw, rawAudio, String(format: "   %.2f× the CLI's speed", (rawAudio / tRaw) / (cliAudio / tCLI))))
        print(row("anchor, full pipeline", tFull, fullAudio, String(format: "   %.2f× (48 kHz, timeline, loudness)", (fullAudio / tFull) / (cliAudio / tCLI))))
        print("  " + "4 callers at once".padding(toLength: 26, withPad: " ", startingAt: 0)
              + String(format: "%7.3f s  vs %.3f s one after another: ", concurrent, serial)
              + (concurrent > serial * 0.8 ? "serialized, as espeak-ng's global state requires" : "ran in parallel (unexpected)"))
    }

    static func line(_ text: String) -> Utterance {
        Utterance(text: text, language: .en, intent: .chat, reason: .init(.tagged, "bench"))
    }

    static func runCLI(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/espeak-ng")
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ValidationError("espeak-ng exited with \(p.terminationStatus)") }
    }
}
