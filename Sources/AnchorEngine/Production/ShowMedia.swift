import AnchorCore
import AnchorMedia
import Foundation

/// Opens every file a show plays (`@play` clips and pictures, its music bed) before it airs:
/// fills in each clip's length and reports, at the line that names it, a file that is missing,
/// does not decode, or is played past its end.
public enum ShowMedia {
    /// Checks and completes `rundown`; `musicAt` is where the header names the music.
    public static func resolve(_ rundown: inout Rundown, musicAt: SourceLocation? = nil) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var probed: [String: Result<ClipInfo, MediaError>] = [:]
        func probe(_ file: String) -> Result<ClipInfo, MediaError> {
            if let known = probed[file] { return known }
            let result: Result<ClipInfo, MediaError>
            if !FileManager.default.fileExists(atPath: file) {
                result = .failure(.input(path: file, reason: "no such file"))
            } else {
                do { result = .success(try ClipInfo.probe(file)) } catch { result = .failure(error) }
            }
            probed[file] = result
            return result
        }
        for s in rundown.segments.indices {
            for e in rundown.segments[s].events.indices {
                if case .cue(.music(let file?), let at) = rundown.segments[s].events[e] {
                    diagnostics += music(file, at: at, probe: probe)
                    continue
                }
                guard case .cue(.play(var cue), let at) = rundown.segments[s].events[e] else { continue }
                switch probe(cue.file) {
                case .failure(let error):
                    diagnostics.append(.error(at: at, Self.reason(error, file: cue.file), length: 5,
                                              hint: "clips may be MP4, MOV, MKV or WebM (H.264, HEVC, VP9, AV1) or a PNG, JPEG or WebP picture"))
                case .success(let info):
                    if let problem = Self.check(&cue, info) {
                        diagnostics.append(.error(at: at, problem, length: 5))
                    } else {
                        rundown.segments[s].events[e] = .cue(.play(cue), source: at)
                    }
                }
            }
        }
        if let file = rundown.music {
            diagnostics += music(file, at: musicAt ?? SourceLocation(file: rundown.segments.first?.source.file ?? file, line: 1, column: 1), probe: probe)
        }
        return diagnostics
    }

    /// Why a music bed cannot play, if it cannot.
    static func music(_ file: String, at: SourceLocation, probe: (String) -> Result<ClipInfo, MediaError>) -> [Diagnostic] {
        switch probe(file) {
        case .failure(let error): return [.error(at: at, Self.reason(error, file: file), length: 5)]
        case .success(let info) where !info.hasAudio: return [.error(at: at, "the music '\(Self.name(file))' has no sound", length: 5)]
        case .success(let info) where info.milliseconds > ClipSound.maxMilliseconds:
            return [.error(at: at, "the music '\(Self.name(file))' is \(info.milliseconds / 60_000) minutes long; a bed loops, so at most \(ClipSound.maxMilliseconds / 60_000) minutes are kept",
                           length: 5, hint: "cut a shorter loop of it")]
        case .success: return []
        }
    }

    /// The schedule's warm-up clips and pictures that cannot play, at their entry.
    public static func warmups(_ schedule: Schedule) -> [Diagnostic] {
        schedule.entries.compactMap { e -> Diagnostic? in
            guard let file = e.warmup else { return nil }
            guard FileManager.default.fileExists(atPath: file) else { return .error(at: e.location, "the warm-up '\(name(file))' of '\(e.name)' does not exist") }
            switch Result(catching: { () throws(MediaError) -> ClipInfo in try ClipInfo.probe(file) }) {
            case .success(let info): return info.hasVideo ? nil : .error(at: e.location, "the warm-up '\(name(file))' of '\(e.name)' has no picture")
            case .failure(let error): return .error(at: e.location, "the warm-up of '\(e.name)': \(reason(error, file: file))")
            }
        }
    }

    /// Fills in the length to play, or says why the cue cannot play as written.
    static func check(_ cue: inout PlayCue, _ info: ClipInfo) -> String? {
        let name = Self.name(cue.file)
        if info.isStill || (!info.hasAudio && info.milliseconds == 0) {
            if cue.from > 0 { return "'\(name)' is a still picture; 'from' does not apply" }
            cue.length = cue.length ?? PlayCue.stillMilliseconds
            return nil
        }
        if let w = info.width, let h = info.height, w < 2 || h < 2 { return "'\(name)' is \(w)x\(h): too small to show" }
        let total = info.milliseconds
        guard total > 0 else { return "'\(name)' does not say how long it is; give 'for' to play it" }
        if cue.from >= total { return "'from \(Self.seconds(cue.from))' is past the end of '\(name)' (\(Self.seconds(total)) long)" }
        if let length = cue.length, cue.from + length > total + 50 {
            return "'\(name)' is \(Self.seconds(total)) long; from \(Self.seconds(cue.from)) there is \(Self.seconds(total - cue.from)), not the \(Self.seconds(length)) 'for' asks"
        }
        cue.length = cue.length ?? (total - cue.from)
        if cue.length! > ClipSound.maxMilliseconds, info.hasAudio, cue.gain != nil {
            return "'\(name)' plays for \(cue.length! / 60_000) minutes; at most \(ClipSound.maxMilliseconds / 60_000) minutes of a clip play at once (cut it with 'from' and 'for')"
        }
        return nil
    }

    static func reason(_ error: MediaError, file: String) -> String {
        if case .input(_, let why) = error { return "cannot play '\(name(file))': \(why)" }
        return "cannot play '\(name(file))': \(error)"
    }

    static func name(_ file: String) -> String { (file as NSString).lastPathComponent }

    static func seconds(_ ms: Int) -> String {
        ms % 1000 == 0 ? "\(ms / 1000)s" : String(format: "%.1fs", Double(ms) / 1000)
    }
}
