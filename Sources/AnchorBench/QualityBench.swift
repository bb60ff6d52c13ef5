import AnchorAvatar
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorMedia
import ArgumentParser
import Foundation

/// `anchor bench quality`: bits spent against quality, measured against a lossless master of
/// the same frames, for a constant rate, the quality-targeted default, and x264 offline at the
/// default's average rate.
struct QualityBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Bits spent against SSIM/PSNR for constant-rate and quality-targeted encoding of a show, with a rate–quality plot.",
        discussion: """
        Renders the show once losslessly (x264 QP 0: the master) and again with each setting — \
        constant rates, the capped-CRF sweep around the default profile, and the default itself \
        — then measures each against the master with ffmpeg's ssim and psnr filters, and \
        encodes the master with ffmpeg's x264 in two passes at the default's average rate (what \
        an offline encoder reaches with the same bits). Prints a table (mean SSIM, the worst \
        one-second SSIM, PSNR, kb/s) and writes a PNG plot.

          anchor bench quality                       # Scripts/demo.show.md at 1280x720
          anchor bench quality Scripts/overnight.show.md --duration 60s --plot q.png
        """
    )

    @Argument(help: "The show (default: Scripts/demo.show.md).")
    var show: String?

    @Option(help: "Frame size.")
    var size = "1280x720"

    @Option(help: "Frames per second.")
    var fps = 30

    @Option(help: "x264 preset (the live default).")
    var preset = "superfast"

    @Option(help: "Measure only this long (default: the whole show).")
    var duration: String?

    @Option(help: ArgumentHelp("Where to write the rate–quality plot (PNG).", valueName: "path"))
    var plot = "quality.png"

    @Option(help: ArgumentHelp("Constant rates to try, kb/s, comma-separated.", valueName: "list"))
    var rates = "300,600,1200,2500"

    @Option(help: ArgumentHelp("CRF values to try under the default profile's ceiling, comma-separated.", valueName: "list"))
    var crfs = "20,23,26,29,32"

    struct Measure {
        var name: String
        var kbps: Double
        var ssim: Double
        var worstSecond: Double
        var psnr: Double
        /// Mean SSIM of the frames where a clip plays (nil: the show plays none).
        var clips: Double?
    }

    func run() async throws {
        let (w, h, _) = try RenderOptions.validate(size: size, fps: fps, duration: duration)
        let rateList = try Self.numbers(rates, option: "--rates").map { Int($0) }
        let crfList = try Self.numbers(crfs, option: "--crfs")
        let showPath = try BenchShow.path(show)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("anchor-quality-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { if ProcessInfo.processInfo.environment["ANCHOR_KEEP"] == nil { try? FileManager.default.removeItem(at: work) } }

        // Each encoding is an 'anchor preview' of its own: previews in separate processes give
        // the same frames (checked: PSNR inf), several renders in one process do not quite
        // (see the issue note), and the master must match every encoding frame for frame.
        func render(_ name: String, _ flags: [String]) throws -> String {
            let out = work.appendingPathComponent(name.filter { $0.isLetter || $0.isNumber } + ".mp4").path
            let run = try Tool.run(Self.selfPath, ["preview", showPath, "-o", out, "--size", "\(w)x\(h)", "--fps", "\(fps)", "--live-encoder",
                                                   "--preset", preset] + (duration.map { ["--duration", $0] } ?? []) + flags)
            guard run.status == 0 else { throw ValidationError("the preview for \(name) failed: \(run.stderr.suffix(400))") }
            return out
        }
        func rate(crf: Double?, kbps: Int) -> [String] { ["--bitrate", "\(kbps)"] + (crf.map { ["--crf", String(format: "%g", $0)] } ?? []) }

        Terminal.error("rendering the lossless master of \(showPath) at \(w)x\(h)@\(fps)…")
        let master = try render("master", ["--lossless"])
        let clipFrames = try await Self.clipFrames(showPath, fps: fps, duration: duration)
        func measure(_ name: String, _ file: String) throws -> Measure { try Self.measure(name, file, against: master, fps: fps, clipFrames: clipFrames) }

        let profile = EncodingProfile.narrowband
        var constant: [Measure] = [], targeted: [Measure] = []
        for kbps in rateList {
            Terminal.error("constant \(kbps) kb/s…")
            constant.append(try measure("CBR \(kbps) kb/s", try render("cbr\(kbps)", rate(crf: nil, kbps: kbps))))
        }
        for crf in crfList {
            Terminal.error("CRF \(crf) under \(profile.kbps) kb/s…")
            targeted.append(try measure(String(format: "CRF %g ≤ %d", crf, profile.kbps),
                                             try render("crf\(crf)", rate(crf: crf, kbps: profile.kbps))))
        }
        Terminal.error("the default (\(profile.name))…")
        let defaultFile = try render("default", rate(crf: profile.crf, kbps: profile.kbps))
        let chosen = try measure("default: \(profile.name) (CRF \(String(format: "%g", profile.crf ?? 0)) ≤ \(profile.kbps))", defaultFile)
        let today = try measure("CBR \(EncodingProfile.cbr.kbps) (before)", try render("today", rate(crf: nil, kbps: EncodingProfile.cbr.kbps)))
        Terminal.error("ffmpeg x264, two passes at \(Int(chosen.kbps)) kb/s (offline reference)…")
        let offline = try measure("x264 2-pass, same bits", try Self.twoPass(master, kbps: Int(chosen.kbps.rounded()), fps: fps, in: work))

        print(String(format: "anchor bench quality — %@, %dx%d@%d, x264 %@, against a lossless master", (showPath as NSString).lastPathComponent, w, h, fps, preset))
        print("  setting                                 kb/s     SSIM   worst 1 s   PSNR dB" + (clipFrames.isEmpty ? "" : "   clips SSIM"))
        for m in constant + targeted + [today, chosen, offline] {
            print("  " + m.name.padding(toLength: 36, withPad: " ", startingAt: 0)
                  + String(format: "%9.0f  %7.5f  %9.5f  %8.2f", m.kbps, m.ssim, m.worstSecond, m.psnr) + (m.clips.map { String(format: "   %9.5f", $0) } ?? ""))
        }
        let share = chosen.kbps / today.kbps
        let clipsMet = (chosen.clips ?? 1) >= 0.98
        print(String(format: "  the default spends %.0f%% of the bits of CBR %d at SSIM %.4f (CBR: %.4f); target SSIM ≥ 0.995 at ≤ 40%% — %@",
                     100 * share, EncodingProfile.cbr.kbps, chosen.ssim, today.ssim, chosen.ssim >= 0.995 && share <= 0.4 ? "met" : "MISSED"))
        if let clips = chosen.clips {
            print(String(format: "  clip frames (%d): SSIM %.4f with the default; target ≥ 0.98 — %@", clipFrames.count, clips, clipsMet ? "met" : "MISSED"))
        }

        let chart = LinePlot(title: "\((showPath as NSString).lastPathComponent) at \(w)x\(h): bits against quality",
                             xLabel: "kb/s", yLabel: "SSIM vs lossless master", series: [
            .init(name: "constant rate (CBR)", color: 0x1565C0, points: constant.map { ($0.kbps, $0.ssim) }),
            .init(name: "CRF under \(profile.kbps) kb/s", color: 0x2E7D32, points: targeted.map { ($0.kbps, $0.ssim) }),
            .init(name: "default (\(profile.name))", color: 0xC62828, points: [(chosen.kbps, chosen.ssim)], pointsOnly: true),
            .init(name: "x264 2-pass, same bits", color: 0x6A1B9A, points: [(offline.kbps, offline.ssim)], pointsOnly: true),
        ])
        try chart.render().writePNG(to: plot)
        print("  plot: \(plot)")
    }

    /// This program, to run its own previews.
    static var selfPath: String { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0] }

    static func numbers(_ text: String, option: String) throws -> [Double] {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! > 0 }) else { throw ValidationError("\(option): '\(text)' is not a list of numbers") }
        return values.map { $0! }
    }

    /// SSIM (mean and the worst one-second mean), PSNR and the video bit rate of `file` against `master`.
    static func measure(_ name: String, _ file: String, against master: String, fps: Int, clipFrames: [Int]) throws -> Measure {
        let stats = file + ".ssim.log"
        let run = try Tool.run("/usr/bin/ffmpeg", ["-v", "info", "-nostats", "-i", file, "-i", master, "-lavfi",
                                                   "[0:v]split[a][b];[1:v]split[c][d];[a][c]ssim=stats_file=\(stats);[b][d]psnr", "-f", "null", "-"])
        guard run.status == 0 else { throw ValidationError("ffmpeg could not compare \(file): \(run.stderr.suffix(300))") }
        let perFrame = (try? String(contentsOfFile: stats, encoding: .utf8))?.split(separator: "\n").compactMap { line -> Double? in
            line.split(separator: " ").first { $0.hasPrefix("All:") }.flatMap { Double($0.dropFirst(4)) }
        } ?? []
        guard !perFrame.isEmpty else { throw ValidationError("ffmpeg's ssim filter wrote nothing for \(file)") }
        let seconds = stride(from: 0, to: perFrame.count, by: fps).map { i in
            let window = perFrame[i..<min(i + fps, perFrame.count)]
            return window.reduce(0, +) / Double(window.count)
        }
        let psnr = run.stderr.range(of: "average:").map { Double(run.stderr[$0.upperBound...].prefix { $0 != " " }) ?? 0 } ?? 0
        let probe = try Tool.run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=bit_rate", "-of", "csv=p=0", file])
        let clips = clipFrames.filter { $0 < perFrame.count }.map { perFrame[$0] }
        return Measure(name: name, kbps: (Double(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) / 1000,
                       ssim: perFrame.reduce(0, +) / Double(perFrame.count), worstSecond: seconds.min() ?? 0, psnr: psnr,
                       clips: clips.isEmpty ? nil : clips.reduce(0, +) / Double(clips.count))
    }

    /// The frames where a clip or picture plays (`@play`), from the show's plan, a frame in
    /// from each end (the timing is planned again here, in this process).
    static func clipFrames(_ path: String, fps: Int, duration: String?) async throws -> [Int] {
        let loaded = try ShowLoader(path: path, catalogOptions: try CatalogOptions.parse([])).load()
        let (folder, _) = try loaded.stage(showPath: path, avatar: nil, background: nil)
        let rate = Int(MediaTime.sampleRate)
        let limit = try duration.map { d -> Int in
            guard let ms = Parse.milliseconds(d) else { throw ValidationError("--duration: '\(d)' is not a time") }
            return ms * rate / 1000
        }
        let rig = try Rig.load(from: (folder as NSString).appendingPathComponent("rig.json"))
        let performance = try await Rehearsal.performance(of: Program(id: path, rundown: loaded.rundown, catalog: loaded.catalog), rig: rig, until: limit, fps: fps)
        return performance.events.flatMap { e -> [Int] in
            guard case .play(let p) = e.cue, let ms = p.length else { return [] }
            let first = e.at * fps / rate + 2, last = (e.at + ms * rate / 1000) * fps / rate - 2
            return first <= last ? Array(first...last) : []
        }
    }

    /// The master through ffmpeg's x264 in two passes at `kbps` (full lookahead, same GOP).
    static func twoPass(_ master: String, kbps: Int, fps: Int, in folder: URL) throws -> String {
        let out = folder.appendingPathComponent("twopass.mp4").path, log = folder.appendingPathComponent("x264pass").path
        for pass in [1, 2] {
            let run = try Tool.run("/usr/bin/ffmpeg", ["-v", "error", "-y", "-i", master, "-an", "-c:v", "libx264", "-preset", "medium",
                                                       "-b:v", "\(kbps)k", "-pass", "\(pass)", "-passlogfile", log, "-g", "\(fps * 2)",
                                                       "-keyint_min", "\(fps * 2)", "-sc_threshold", "0", "-pix_fmt", "yuv420p"]
                                   + (pass == 1 ? ["-f", "null", "-"] : [out]))
            guard run.status == 0 else { throw ValidationError("ffmpeg two-pass failed: \(run.stderr.suffix(300))") }
        }
        return out
    }
}
