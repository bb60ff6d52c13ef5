import AnchorTestSupport
import Foundation
import Testing

/// `anchor say` and `anchor voices`, checked with ffprobe and ffmpeg's EBU R128 meter.
@Suite struct VoiceCLITests {
    @Test func sayWritesAWAVAndATimeline() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let wav = dir.appendingPathComponent("line.wav").path, json = dir.appendingPathComponent("line.json").path
        let run = try TestSupport.anchor(["say", "Tonight only *$29.90*! {pause 300ms} Tap the cart.", "--intent", "price", "-o", wav, "--timeline", json])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("wrote \(wav)"))
        let probe = try TestSupport.tool("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "csv=p=0", wav])
        #expect(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "pcm_s16le,48000,1")
        let timeline = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        let words = (timeline?["words"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
        #expect(words == ["Tonight", "only", "$29.90", "Tap", "the", "cart"])
        #expect(timeline?["intent"] as? String == "price")
        #expect((timeline?["pauses"] as? [[String: Any]])?.first?["milliseconds"] as? Int == 300)
        // ffmpeg's own loudness meter agrees with ours: about −16 LUFS (+0.5 dB for price).
        let meter = try TestSupport.tool("ffmpeg", ["-hide_banner", "-nostats", "-i", wav, "-af", "ebur128", "-f", "null", "-"])
        let integrated = meter.stderr.components(separatedBy: "I:").last.flatMap { Double($0.split(separator: "L").first?.trimmingCharacters(in: .whitespaces) ?? "") }
        let lufs = try #require(integrated, "no loudness in ffmpeg's output")
        #expect(abs(lufs - (-15.5)) < 1.5, "\(lufs) LUFS")
    }

    @Test func aFreshProcessSaysTheSameShowIdentically() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        var outputs: [Data] = []
        for n in 0..<2 {
            let wav = dir.appendingPathComponent("seg\(n).wav").path
            let run = try TestSupport.anchor(["say", "--show", "Scripts/demo-zh.show.md", "--segment", "2", "-o", wav])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("5 lines"))
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: wav)))
        }
        #expect(outputs[0].count > 48_000 * 2 * 10)
        #expect(outputs[0] == outputs[1])
    }

    @Test func voicesAndErrors() throws {
        let voices = try TestSupport.anchor(["voices", "--lang", "cmn"])
        #expect(voices.status == 0)
        #expect(voices.stdout.contains("cmn-latn-pinyin"))
        let unknown = try TestSupport.anchor(["say", "hi", "--voice", "klingon", "-o", "/tmp/never.wav"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown voice 'klingon'; available:"))
        #expect(unknown.stderr.contains("en-us"))
        let badSegment = try TestSupport.anchor(["say", "--show", "Scripts/demo.show.md", "--segment", "9", "-o", "/tmp/never.wav"])
        #expect(badSegment.status == 1)
        #expect(badSegment.stderr.contains("has segments 1 to 5"))
        let unwritable = try TestSupport.anchor(["say", "hi", "-o", "/nonexistent/dir/x.wav"])
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr.contains("cannot write /nonexistent/dir/x.wav"))
        let neither = try TestSupport.anchor(["say", "-o", "/tmp/never.wav"])
        #expect(neither.status == 64)
    }
}
