import AnchorCommandLine
import AnchorCore
import AnchorScript
import AnchorVoice
import ArgumentParser
import Foundation

struct Say: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Speak a line or a segment of a show to a WAV file, with its timeline.",
        discussion: """
        The text uses the script's inline syntax: *stress*, {pause 400ms}, {a|b}; --plain reads \
        it literally. Without --intent the line is tagged automatically, as in a show.

        Examples:
          anchor say "Tonight only *\\$29.90*! {pause 300ms} Tap the cart." -o line.wav
          anchor say "今晚只要59元" --lang zh -o zh.wav --timeline zh.json
          anchor say --show Scripts/demo.show.md --segment 2 -o serum.wav
        """
    )

    @Argument(help: "The line to speak (omit with --show).")
    var text: String?

    @Option(help: "The intent: \(Intent.allCases.map(\.rawValue).joined(separator: ", ")).")
    var intent: Intent?

    @Option(help: "Language of the text: en or zh.")
    var lang: Language = .en

    @Option(help: "An espeak-ng voice (see 'anchor voices'); default en-us or cmn-latn-pinyin.")
    var voice: String?

    @Flag(help: "Read the text literally, not as script syntax.")
    var plain = false

    @Option(help: "Speak a segment of this show instead of a line.")
    var show: String?

    @Option(help: "The segment to speak (from 1), with --show.")
    var segment: Int = 1

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(name: .shortAndLong, help: "The WAV file to write.")
    var output: String

    @Option(help: "Also write the timeline (words, phonemes, visemes, stress, pauses) as JSON.")
    var timeline: String?

    func validate() throws {
        if show == nil && text == nil { throw ValidationError("give a line to speak, or --show SHOW --segment N") }
        if show != nil && text != nil { throw ValidationError("give either a line or --show, not both") }
    }

    func run() async throws {
        let (utterances, showVoice) = try lines()
        let engine = SpeechEngine.shared
        var samples: [Float] = []
        var timelines: [SpeechTimeline] = []
        do {
            for (i, u) in utterances.enumerated() {
                if i > 0 { samples += repeatElement(0, count: SpeechClip.sampleRate * 4 / 10) }
                let clip = try await engine.speak(u, voice: voice ?? showVoice)
                samples += clip.samples
                timelines.append(clip.timeline)
            }
        } catch let error as VoiceError {
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
        do {
            try WAVFile.write(samples, sampleRate: SpeechClip.sampleRate, to: output)
            if let timeline {
                let value: any Encodable = timelines.count == 1 ? timelines[0] : timelines
                try JSONOutput.string(value).write(toFile: timeline, atomically: true, encoding: .utf8)
            }
        } catch {
            Terminal.error("error: cannot write \(output): \((error as NSError).localizedDescription)")
            throw ExitCode(1)
        }
        let seconds = Double(samples.count) / Double(SpeechClip.sampleRate)
        let loudness = Loudness.measure(samples, sampleRate: SpeechClip.sampleRate)
        print(String(format: "wrote %@: %.2f s, %d line%@, %.1f LUFS, peak %.1f dBFS", output, seconds, utterances.count,
                     utterances.count == 1 ? "" : "s", loudness.integrated, loudness.peak))
    }

    private func lines() throws -> ([Utterance], String?) {
        if let show {
            let rundown = try ShowLoader(path: show, catalogOptions: catalogOptions).load().rundown
            guard (1...rundown.segments.count).contains(segment) else {
                Terminal.error("error: \(show) has segments 1 to \(rundown.segments.count); --segment \(segment) is not one of them")
                throw ExitCode(1)
            }
            return (rundown.segments[segment - 1].utterances, rundown.voice)
        }
        let line = text ?? ""
        let body = plain ? Self.escape(line) : line
        let tag = intent.map { "[\($0.rawValue)] " } ?? ""
        let source = "---\nlanguage: \(lang.rawValue)\nstyle: plain\n---\n# say\n" + tag + body.replacingOccurrences(of: "\n", with: " ")
        let parsed = ScriptCompiler.parse(source, path: "<line>")
        let compiled = parsed.compile(catalog: nil)
        Terminal.print(compiled.diagnostics) { parsed.source.line($0.line) }
        guard let rundown = compiled.rundown else { throw ExitCode(1) }
        return (rundown.utterances, nil)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            if "{}*[]\\|".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

struct Voices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the espeak-ng voices a show can use.")

    @Option(help: "Only voices for this language code (e.g. en, zh, cmn).")
    var lang: String?

    func run() async throws {
        let all = try await SpeechEngine.shared.voices()
        let shown = all.filter { v in lang.map { l in v.languages.contains { $0.hasPrefix(l) } } ?? true }
        print(Table.render(header: ["VOICE", "LANGUAGES", "FILE"], rows: shown.map { [$0.name, $0.languages.joined(separator: " "), $0.identifier] }))
        print("\(shown.count) voices; variants add +NAME (e.g. en-us+f3). Chinese shows default to cmn-latn-pinyin.")
    }
}
