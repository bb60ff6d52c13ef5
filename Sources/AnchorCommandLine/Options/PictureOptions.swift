import AnchorMedia
import ArgumentParser

/// The picture and its bits, shared by `preview`, `live` and `run`: a named profile, and any
/// of its settings overridden one by one.
public struct PictureOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(help: ArgumentHelp("Encoding profile: \(EncodingProfile.all.map(\.name).joined(separator: ", ")). narrowband (the default) targets quality, not a rate: a still presenter costs a few hundred kb/s, motion gets up to the ceiling. See docs/MEDIA.md for each one's numbers.", valueName: "name"))
    public var profile = EncodingProfile.narrowband.name

    @Option(name: .customLong("size"), help: ArgumentHelp("Frame size, WIDTHxHEIGHT (1280x720 landscape, 720x1280 portrait; default: the profile's).", valueName: "size"))
    public var sizeText: String?

    @Option(name: .customLong("fps"), help: ArgumentHelp("Frames per second (default: the profile's, 30).", valueName: "fps"))
    public var fpsValue: Int?

    @Option(help: "Video bit rate in kb/s: alone, a constant rate (one-second VBV buffer); with --crf, the ceiling.")
    public var bitrate: Int?

    @Option(help: "Quality target, x264 CRF 0–51 (lower is better; the profile's by default), under the --bitrate ceiling.")
    public var crf: Double?

    public var chosen: EncodingProfile { EncodingProfile.named(profile) ?? .narrowband }
    public var size: String { sizeText ?? "\(chosen.width)x\(chosen.height)" }
    public var fps: Int { fpsValue ?? chosen.fps }

    /// The profile called `name`; any other name is a usage error listing the choices.
    public static func profile(named name: String) throws -> EncodingProfile {
        guard let p = EncodingProfile.named(name) else {
            throw ValidationError("--profile: '\(name)' is not one of \(EncodingProfile.all.map(\.name).joined(separator: ", "))")
        }
        return p
    }

    public func validate() throws {
        _ = try Self.profile(named: profile)
        if let crf, !(0...51).contains(crf) { throw ValidationError("--crf: \(crf) is out of range (0–51)") }
        if let bitrate, !(10...100_000).contains(bitrate) { throw ValidationError("--bitrate: \(bitrate) kb/s is out of range (10–100000)") }
    }

    /// The encoder settings for a validated size: a bit rate alone means a constant rate.
    public func video(width: Int, height: Int, preset: String) -> VideoSettings {
        var v = chosen.settings(width: width, height: height, fps: fps)
        v.preset = preset
        if let bitrate { v.bitrateKbps = bitrate }
        v.crf = crf ?? (bitrate == nil ? chosen.crf : nil)
        return v
    }

    /// "CRF 26 under 2 500 kb/s" or "2 500 kb/s constant", for progress lines.
    public static func describe(_ v: VideoSettings) -> String {
        v.crf.map { String(format: "CRF %g under %d kb/s", $0, v.bitrateKbps) } ?? "\(v.bitrateKbps) kb/s constant"
    }
}
