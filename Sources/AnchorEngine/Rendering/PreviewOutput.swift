import AnchorAvatar
import AnchorCore
import AnchorMedia
import AnchorVoice
import Foundation
import NIOPosix

/// Where a preview's packets go: the video file (opened once the encoders exist), the master
/// WAV, and the chapters and draws the Director's markers announce.
final class PreviewOutput {
    let path: String
    let format: String
    let title: String
    let wav: WAVStream?
    private var writer: MP4Writer?
    private(set) var lastVideo: Int64 = -1
    private(set) var audioEnd: Int64 = 0
    private var segments: [(start: Int, title: String)] = []
    private(set) var draws: [DrawOutcome] = []

    init(path: String, format: String, title: String, wav: WAVStream?) {
        self.path = path
        self.format = format
        self.title = title
        self.wav = wav
    }

    func open(video: VideoEncoder, audio: AudioEncoder) throws {
        writer = try MP4Writer(path: path, format: format, video: video, audio: audio, title: title)
    }

    func write(_ p: EncodedPacket) throws {
        try writer?.write(p)
        if p.kind == .video { lastVideo = max(lastVideo, p.pts) } else { audioEnd = p.pts + p.duration }
    }

    func note(_ m: LiveDirector.Marker) {
        switch m.kind {
        case .segment(let title, _): segments.append((m.at, title))
        case .draw(let outcome): draws.append(outcome)
        case .line, .answer, .cue: break
        }
    }

    /// A chapter per segment that began before `end` (samples), each ending where the next
    /// begins; the first begins with the file (the lead-in is part of it).
    func chapters(endingAt end: Int) -> [MP4Writer.Chapter] {
        let rate = Int64(SpeechClip.sampleRate)
        let begun = segments.filter { $0.start < end }
        return begun.enumerated().map { i, s in
            let next = i + 1 < begun.count ? begun[i + 1].start : end
            return MP4Writer.Chapter(title: s.title, start: i == 0 ? 0 : Int64(s.start) * 1000 / rate, end: Int64(next) * 1000 / rate)
        }
    }

    func finish(chapters: [MP4Writer.Chapter], endMilliseconds: Int64) throws {
        try writer?.finish(chapters: chapters, endMilliseconds: endMilliseconds)
        try wav?.close()
    }

    /// A failed render leaves no half file behind.
    func abandon() {
        try? writer?.finish(endMilliseconds: nil)
        writer = nil
        try? FileManager.default.removeItem(atPath: path)
    }
}
