import CAV

/// What a clip, picture or music file holds, found by opening it and decoding its first frames.
public struct ClipInfo: Sendable, Hashable {
    /// Length in milliseconds (0 for a still picture).
    public var milliseconds: Int
    /// The picture's size and codec, if it has one.
    public var width: Int?
    public var height: Int?
    public var videoCodec: String?
    public var audioCodec: String?
    public var audioRate: Int?
    public var audioChannels: Int?
    /// A single picture (PNG, JPEG, WebP…), shown for as long as the script says.
    public var isStill: Bool

    public var hasVideo: Bool { videoCodec != nil }
    public var hasAudio: Bool { audioCodec != nil }

    /// Opens `path` and decodes a frame of each stream, so a file that passes plays.
    public static func probe(_ path: String) throws(MediaError) -> ClipInfo {
        var info = ClipInfo(milliseconds: 0, isStill: false)
        if let video = try MediaInput(path: path, type: AVMEDIA_TYPE_VIDEO) {
            let c = video.codecContext.pointee
            info.videoCodec = String(cString: avcodec_get_name(c.codec_id))
            guard video.next() else { throw MediaError.input(path: path, reason: "its \(info.videoCodec!) picture does not decode") }
            info.width = Int(video.frame.pointee.width)
            info.height = Int(video.frame.pointee.height)
            let demuxer = String(cString: video.formatContext.pointee.iformat.pointee.name)
            info.isStill = demuxer == "image2" || demuxer.hasSuffix("_pipe")
            info.milliseconds = info.isStill ? 0 : video.durationMilliseconds
        }
        if let audio = try MediaInput(path: path, type: AVMEDIA_TYPE_AUDIO) {
            let c = audio.codecContext.pointee
            info.audioCodec = String(cString: avcodec_get_name(c.codec_id))
            info.audioRate = Int(c.sample_rate)
            info.audioChannels = Int(c.ch_layout.nb_channels)
            guard audio.next() else { throw MediaError.input(path: path, reason: "its \(info.audioCodec!) sound does not decode") }
            if !info.hasVideo { info.milliseconds = audio.durationMilliseconds }
        }
        guard info.hasVideo || info.hasAudio else { throw MediaError.input(path: path, reason: "it has neither picture nor sound") }
        return info
    }
}
