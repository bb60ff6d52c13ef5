import AnchorTestSupport
import Foundation
import Testing

extension HeavyCLITests {
/// Narrowband HD: the default profile spends a fraction of a constant rate's bits on the same
/// show, measured by `anchor bench quality` against a lossless master with ffmpeg's ssim filter.
@Suite struct QualityCLITests {
    @Test func theDefaultSpendsFewerBitsAtNearlyTheSameQualityAndTheBenchPlotsIt() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let plot = dir.appendingPathComponent("q.png").path
        let run = try TestSupport.anchor(["bench", "quality", "--size", "320x180", "--duration", "8s", "--rates", "300,2500", "--crfs", "23,29", "--plot", plot])
        #expect(run.status == 0, "\(run.stderr)")
        func row(_ name: String) -> [Double]? {
            guard let line = run.stdout.split(separator: "\n").first(where: { $0.contains(name) }) else { return nil }
            return line.split(separator: " ").suffix(4).compactMap { Double($0) }
        }
        let before = try #require(row("CBR 2500 (before)"), "\(run.stdout)"), now = try #require(row("default: narrowband"), "\(run.stdout)")
        // kb/s, SSIM, worst second, PSNR.
        #expect(now[0] < before[0] * 0.5, "default \(now[0]) kb/s, CBR \(before[0]) kb/s")
        #expect(now[1] >= 0.99 && now[2] >= 0.98 && before[1] >= now[1], "\(run.stdout)")
        #expect(row("x264 2-pass, same bits") != nil && FileManager.default.fileExists(atPath: plot))
        let png = try Data(contentsOf: URL(fileURLWithPath: plot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000)

        // A profile by name; a wrong one is a usage error naming the choices.
        let portrait = dir.appendingPathComponent("p.mp4").path
        let made = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", portrait, "--profile", "douyin", "--size", "180x320", "--duration", "2s"])
        #expect(made.status == 0, "\(made.stderr)")
        let bad = try TestSupport.anchor(["preview", "Scripts/demo.show.md", "-o", portrait, "--profile", "mtv"])
        #expect(bad.status == 64 && bad.stderr.contains("narrowband, douyin, youtube, twitch, cbr"), "\(bad.stderr)")
    }
}
}
