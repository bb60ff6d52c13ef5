import AnchorMedia
import AnchorStore
import Foundation
import Synchronization

/// Records a live channel as MP4 files of `segmentMilliseconds` each (cut at the first keyframe
/// after), written fragmented while they grow so a crash leaves a playable `.part.mp4`. When a
/// file is complete it is remuxed into a regular MP4 with a chapter per show segment, taken from
/// the replay index; leftovers of a crash are finished the same way on the next start. A write
/// error (a full disk) stops recording until the next file, never the stream.
/// Sendable (unchecked): its files and encoders are touched only by the channel's frame loop
/// (`start`, `write`, `place`, `finish`, all on the frame thread); what other threads read
/// (`status`) is behind the `state` mutex, and `onNewFile` is set before the loop starts.
public final class Recorder: @unchecked Sendable {
    // The live loop calls write/place/finish; `status` is read from other threads under `state`.
    public struct Status: Sendable, Codable {
        public var file: String?
        public var files = 0
        public var bytes = 0
        public var error: String?
    }

    public let folder: String
    let fps: Int
    let segmentMilliseconds: Int
    let air: AirLogWriter
    let report: @Sendable (String, Bool) -> Void
    /// Called when a new file begins (the segment on air continues in it at offset 0).
    public var onNewFile: ((String) -> Void)?
    private var encoders: (VideoEncoder, AudioEncoder)?
    private var writer: MP4Writer?
    private var partPath: String?
    private var fileStartFrame: Int64 = 0
    private var nextRollMs: Int64 = 0
    /// Files being remuxed with their chapters, each on a thread of its own.
    private let finishing = DispatchGroup()
    private let state = Mutex(Status())

    /// `report(message, isError)` tells the log.
    public init(folder: String, fps: Int, segmentMilliseconds: Int, air: AirLogWriter, report: @escaping @Sendable (String, Bool) -> Void) throws {
        self.folder = folder
        self.fps = fps
        self.segmentMilliseconds = segmentMilliseconds
        self.air = air
        self.report = report
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A crash left these growing: finish them (they are playable as they are).
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".part.mp4") {
            finalizeInBackground((folder as NSString).appendingPathComponent(name))
        }
    }

    public var status: Status { state.withLock { $0 } }

    /// The encoders whose parameters the files carry (call before the first packet).
    /// Again after a restart: the new stream starts at frame 0, in a new file.
    public func start(video: VideoEncoder, audio: AudioEncoder) {
        encoders = (video, audio)
        nextRollMs = 0
    }

    /// Writes one packet of the stream (video pts in frames, audio pts in samples).
    public func write(_ p: EncodedPacket) {
        if p.kind == .video, p.isKeyframe, p.pts * 1000 / Int64(fps) >= nextRollMs { roll(at: p.pts) }
        guard let writer else { return }
        var local = p
        if p.kind == .video {
            local.pts -= fileStartFrame
            local.dts -= fileStartFrame
        } else {
            let offset = fileStartFrame * Int64(AudioEncoder.sampleRate) / Int64(fps)
            guard p.pts >= offset else { return } // sound from before this file began
            local.pts -= offset
            local.dts -= offset
        }
        do {
            try writer.write(local)
            state.withLock { $0.bytes += p.data.count }
        } catch {
            fail("\(error)")
        }
    }

    /// The file being written and the offset in it (seconds) of a moment of the stream.
    public func place(atStreamSeconds t: Double) -> (file: String, offset: Double)? {
        guard writer != nil, let partPath else { return nil }
        return (Self.finalName(partPath), max(0, t - Double(fileStartFrame) / Double(fps)))
    }

    /// Closes the current file and waits until every file has its chapters.
    public func finish() {
        close()
        finishing.wait()
    }

    private func roll(at frame: Int64) {
        close()
        nextRollMs = frame * 1000 / Int64(fps) + Int64(segmentMilliseconds)
        guard let (video, audio) = encoders else { return }
        let stamp = Self.stampFormatter.string(from: Date())
        let path = (folder as NSString).appendingPathComponent("anchor-\(stamp).part.mp4")
        do {
            writer = try MP4Writer(path: path, video: video, audio: audio, title: "anchor \(stamp)", chapters: [], fragmented: true)
            partPath = path
            fileStartFrame = frame
            state.withLock { s in s.file = Self.finalName(path); s.files += 1; s.error = nil }
            report("recording \(Self.finalName(path))", false)
            onNewFile?(Self.finalName(path))
        } catch {
            fail("\(error)")
        }
    }

    private func close() {
        guard let writer, let partPath else { return }
        do { try writer.finish(endMilliseconds: nil) } catch { fail("\(error)") }
        self.writer = nil
        self.partPath = nil
        finalizeInBackground(partPath)
    }

    /// Adds the chapters on a thread of its own (the remux reads the whole file, and waits for
    /// the air log's writes); `finish()` waits for it.
    private func finalizeInBackground(_ part: String) {
        let air = self.air, report = self.report, finishing = self.finishing
        finishing.enter()
        Thread {
            Self.finalize(part: part, air: air, report: report)
            finishing.leave()
        }.start()
    }

    private func fail(_ reason: String) {
        writer = nil
        if let partPath { try? FileManager.default.removeItem(atPath: partPath + ".tmp") }
        partPath = nil
        state.withLock { $0.error = reason; $0.file = nil }
        report("recording stopped until the next file: \(reason)", true)
    }

    static func finalName(_ part: String) -> String { part.replacingOccurrences(of: ".part.mp4", with: ".mp4") }

    /// Remuxes a finished fragmented file into a regular MP4 with its chapters; keeps the part
    /// file if that fails (it plays as it is).
    static func finalize(part: String, air: AirLogWriter, report: @Sendable (String, Bool) -> Void) {
        let final = finalName(part)
        let moments = (try? air.read { try $0.moments(inFile: final) }) ?? []
        let length = (try? MediaProbe.duration(part)) ?? 0
        let chapters = moments.enumerated().compactMap { i, m -> MP4Writer.Chapter? in
            guard let start = m.offsetSeconds else { return nil }
            let end = i + 1 < moments.count ? moments[i + 1].offsetSeconds ?? length : length
            guard end > start else { return nil }
            return MP4Writer.Chapter(title: m.segment, start: Int64(start * 1000), end: Int64(end * 1000))
        }
        let tmp = final + ".tmp"
        do {
            try MP4Writer.remux(from: part, to: tmp, title: (final as NSString).lastPathComponent, chapters: chapters)
            try FileManager.default.moveItem(atPath: tmp, toPath: final)
            try FileManager.default.removeItem(atPath: part)
            report("recorded \(final) with \(chapters.count) chapters", false)
        } catch {
            try? FileManager.default.removeItem(atPath: tmp)
            report("kept \(part) without chapters: \(error)", true)
        }
    }

    static let stampFormatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return f
    }()
}
