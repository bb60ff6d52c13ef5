/// A named picture and rate setting that fits an ingest: frame size and rate, a quality target
/// (capped CRF) or a constant rate, and the ceiling the ingest allows. `narrowband` is the
/// default: a presenter over a still background needs a few hundred kb/s for the same picture,
/// and motion still gets up to the ceiling.
public struct EncodingProfile: Sendable, Hashable {
    public var name: String
    public var width: Int
    public var height: Int
    public var fps: Int
    /// The quality target (x264 CRF); nil for a constant rate.
    public var crf: Double?
    /// With a CRF the ceiling (VBV max rate and one-second buffer), else the constant rate, kb/s.
    public var kbps: Int
    public var keyframeSeconds = 2
    /// What it is for, for `--help` and the docs.
    public var note: String

    /// Settings for this profile at a size and rate (the profile's own unless given).
    public func settings(width: Int? = nil, height: Int? = nil, fps: Int? = nil) -> VideoSettings {
        var v = VideoSettings(width: width ?? self.width, height: height ?? self.height, fps: fps ?? self.fps)
        v.bitrateKbps = kbps
        v.crf = crf
        v.keyframeSeconds = keyframeSeconds
        return v
    }

    public static let narrowband = EncodingProfile(
        name: "narrowband", width: 1280, height: 720, fps: 30, crf: 23, kbps: 2_500,
        note: "default: 720p30, quality-targeted (CRF 23) under a 2 500 kb/s ceiling; a still presenter costs a few hundred kb/s")
    public static let douyin = EncodingProfile(
        name: "douyin", width: 720, height: 1280, fps: 30, crf: 23, kbps: 4_000,
        note: "portrait 720x1280@30 for phone-first rooms (Douyin, Kuaishou, TikTok), CRF 23 under 4 000 kb/s")
    public static let youtube = EncodingProfile(
        name: "youtube", width: 1920, height: 1080, fps: 30, crf: 22, kbps: 6_000,
        note: "1080p30 landscape, CRF 22 under 6 000 kb/s (inside YouTube's 1080p30 range; it re-encodes anyway)")
    public static let twitch = EncodingProfile(
        name: "twitch", width: 1280, height: 720, fps: 30, crf: nil, kbps: 3_000,
        note: "720p30 at a constant 3 000 kb/s: Twitch asks for CBR and transcodes only for partners")
    public static let cbr = EncodingProfile(
        name: "cbr", width: 1280, height: 720, fps: 30, crf: nil, kbps: 2_500,
        note: "720p30 at a constant 2 500 kb/s (anchor's earlier default), for ingests that want a steady rate")

    public static let all = [narrowband, douyin, youtube, twitch, cbr]

    public static func named(_ name: String) -> EncodingProfile? { all.first { $0.name == name.lowercased() } }
}
