import AnchorTestSupport
import Foundation
import Testing

/// `anchor frame` and `anchor bench avatar`, checked with ffprobe and in their own process.
@Suite struct AvatarCLITests {
    @Test func frameWritesAPNGOfTheRequestedSize() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        for (size, expected) in [("1280x720", "1280,720"), ("720x1280", "720,1280")] {
            let png = dir.appendingPathComponent("f-\(size).png").path
            let run = try TestSupport.anchor(["frame", "Scripts/demo-zh.show.md", "--at", "12.5s", "--size", size, "-o", png])
            #expect(run.status == 0, "\(run.stderr)")
            let probe = try TestSupport.tool("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", png])
            #expect(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "png,\(expected)")
        }
        let green = dir.appendingPathComponent("green.png").path
        #expect(try TestSupport.anchor(["frame", "Scripts/demo.show.md", "--at", "1s", "--background", "green", "--avatar", "juno", "--size", "640x360", "-o", green]).status == 0)
        // A corner of a green-screen frame is pure chroma green.
        // (Read as bytes from a file: decoded as UTF-8 text the check could never fail.)
        let raw = dir.appendingPathComponent("corner.rgb").path
        #expect(try TestSupport.tool("ffmpeg", ["-v", "error", "-y", "-i", green, "-vf", "crop=1:1:0:0", "-f", "rawvideo", "-pix_fmt", "rgb24", raw]).status == 0)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: raw))) == [0x00, 0xB1, 0x40])
    }

    @Test func frameErrors() throws {
        let badTime = try TestSupport.anchor(["frame", "Scripts/demo.show.md", "--at", "soon", "-o", "/tmp/x.png"])
        #expect(badTime.status == 64 && badTime.stderr.contains("--at takes a time like 12.5s"))
        let badSize = try TestSupport.anchor(["frame", "Scripts/demo.show.md", "--at", "1s", "--size", "641x360", "-o", "/tmp/x.png"])
        #expect(badSize.status == 64 && badSize.stderr.contains("even sides"))
        let noAvatar = try TestSupport.anchor(["frame", "Scripts/demo.show.md", "--at", "1s", "--avatar", "nobody", "-o", "/tmp/x.png"])
        #expect(noAvatar.status == 1 && noAvatar.stderr.contains("no avatar 'nobody'"))
        let unwritable = try TestSupport.anchor(["frame", "Scripts/demo.show.md", "--at", "1s", "--size", "320x180", "-o", "/nonexistent/x.png"])
        #expect(unwritable.status == 1 && unwritable.stderr.contains("cannot write /nonexistent/x.png"))
    }

    @Test func noResidentGrowthOverTenThousandFrames() throws {
        let run = try TestSupport.anchor(["bench", "avatar", "--frames", "10", "--size", "320x180", "--memory-frames", "10000"])
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(run.stdout.split(separator: "\n").first { $0.contains("resident growth") })
        let kb = try #require(Int(line.split(separator: " ").first { Int($0) != nil } ?? ""))
        #expect(kb < 2_048, "\(line)")
        #expect(run.stdout.contains("avatar / x264"))
    }
}
