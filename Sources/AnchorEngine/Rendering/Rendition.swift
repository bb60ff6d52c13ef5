import AnchorAvatar
import AnchorCore
import AnchorMedia
import AnchorStream
import AnchorVoice
import Foundation
import NIOCore
import Synchronization

/// One pair of encoders and the destinations that take its packets. RTMP takes the
/// configured H.264 profile and AAC (or Opus); WebRTC peers take constrained baseline and Opus,
/// so a run with both encodes twice (the picture is drawn once).
final class Rendition {
    let video: PictureEncoder
    let audio: AudioEncoder
    let keyframe = KeyframeRequest()
    /// "H.264 high + AAC", "H.264 baseline + Opus".
    let name: String
    /// Thread CPU time spent encoding video and sound (nanoseconds), and the bytes of video
    /// made: atomics, as the status reads them while an `EncodeThread` encodes.
    private let cpuNanoseconds = Atomic<UInt64>(0)
    private let madeVideoBytes = Atomic<Int>(0)
    var cpuSeconds: Double { Double(cpuNanoseconds.load(ordering: .relaxed)) / 1e9 }
    var videoBytes: Int { madeVideoBytes.load(ordering: .relaxed) }
    /// Sees every packet this rendition makes (the recorder's, on the primary one).
    var onPacket: ((EncodedPacket) throws -> Void)?
    private(set) var destinations: [Destination] = []
    private let fps: Int
    private let priming: Int64
    private let offsetMs: UInt32

    init(video settings: VideoSettings, codec: VideoCodec = .h264, audio sound: AudioEncoder.Codec) throws {
        video = codec == .hevc ? try HEVCEncoder(settings) : try VideoEncoder(settings)
        audio = try AudioEncoder(codec: sound, bitrate: sound == .aac ? 128_000 : 64_000)
        fps = settings.fps
        name = (codec == .hevc ? "H.265 main" : "H.264 \(settings.profile)") + " + \(sound == .aac ? "AAC" : "Opus")"
        // Timestamps start after the audio priming, so sound and picture line up.
        priming = Int64(audio.primingSamples)
        offsetMs = UInt32(priming * 1000 / Int64(SpeechClip.sampleRate))
    }

    /// The renditions `targets` need (and an H.264 one for the recorder when `recording` and
    /// none is pushed).
    static func make(for targets: [PushTarget], options o: LiveRenderer.Options, group: EventLoopGroup, recording: Bool = false) throws -> [Rendition] {
        let rtmp = targets.compactMap { if case .rtmp(let u) = $0 { u } else { nil } }
        let whip = targets.compactMap { if case .whip(let w) = $0 { w } else { nil } }
        var webrtcVideo = o.video
        webrtcVideo.profile = "baseline"
        var renditions: [Rendition] = []
        if !rtmp.isEmpty || whip.isEmpty {
            let r = try Rendition(video: o.video, codec: rtmp.isEmpty ? .h264 : o.videoCodec, audio: o.audioCodec)
            let settings = PublishSettings(metadata: .init(width: o.video.width, height: o.video.height, fps: o.video.fps, videoKbps: o.video.bitrateKbps,
                                                           audioKbps: o.audioCodec == .aac ? 128 : 64, audioCodec: o.audioCodec, videoCodec: r.video.codec),
                                           videoConfig: r.video.decoderConfiguration, audioConfig: r.audio.extradata)
            let keyframe = r.keyframe
            r.destinations = try rtmp.map { url in
                try Destination(url: url, settings: settings, group: group, queueCapacityMs: o.queueCapacityMs, trustedCA: o.trustedCA) {
                    keyframe.request()
                }
            }
            renditions.append(r)
        }
        if !whip.isEmpty {
            let r = try Rendition(video: webrtcVideo, codec: .h264, audio: .opus)
            let keyframe = r.keyframe
            r.destinations = try whip.map { endpoint in
                let publisher = try WHIPPublisher(endpoint: endpoint, parameterSets: r.video.parameterSets, group: group, trustedCA: o.trustedCA)
                // Packets go straight to the session once it publishes; should they ever queue, a
                // second at most (late RTP is useless to a viewer).
                return Destination(publisher: publisher, queueCapacityMs: min(o.queueCapacityMs, 1_000)) { keyframe.request() }
            }
            renditions.append(r)
        }
        if recording, !renditions.contains(where: { $0.video is VideoEncoder }) {
            renditions.append(try Rendition(video: o.video, audio: o.audioCodec))
        }
        return renditions
    }

    /// Encodes frame `index` (an IDR when a destination asked for one) and sends it on.
    func encode(_ picture: I420Frame, index: Int, changed: Damage?, madeAt: ContinuousClock.Instant) throws {
        if keyframe.take() { video.forceKeyframe() }
        let cpu = CPUTime.thread()
        let packets = video.encode(picture, index: Int64(index), changed: changed)
        charge(since: cpu)
        madeVideoBytes.add(packets.reduce(0) { $0 + $1.data.count }, ordering: .relaxed)
        try push(packets, madeAt: madeAt)
    }

    /// Encodes the sound of one frame period and sends it on.
    func encode(_ pcm: ArraySlice<Float>) throws {
        let cpu = CPUTime.thread()
        let packets = audio.encode(pcm)
        charge(since: cpu)
        try push(packets)
    }

    private func charge(since start: Double) {
        cpuNanoseconds.add(UInt64(max(0, CPUTime.thread() - start) * 1e9), ordering: .relaxed)
    }

    /// What the encoders still hold goes out too: the stream ends on its last sample.
    func flush() throws {
        try push(video.flush())
        try push(audio.flush())
    }

    /// Sends encoded packets to this rendition's destinations (and `onPacket`).
    private func push(_ packets: [EncodedPacket], madeAt: ContinuousClock.Instant = .now) throws {
        for p in packets {
            let packet: StreamPacket
            if p.kind == .video {
                let ts = UInt32(truncatingIfNeeded: p.pts * 1000 / Int64(fps)) &+ offsetMs
                let rtp = UInt32(truncatingIfNeeded: p.pts * 90_000 / Int64(fps))
                packet = StreamPacket(kind: .video, timestamp: ts, isKeyframe: p.isKeyframe, data: p.data, madeAt: madeAt, rtpTime: rtp)
            } else {
                let ts = UInt32(truncatingIfNeeded: max(0, p.pts + priming) * 1000 / Int64(SpeechClip.sampleRate))
                packet = StreamPacket(kind: .audio, timestamp: ts, isKeyframe: p.isKeyframe, data: p.data, madeAt: madeAt,
                                      rtpTime: UInt32(truncatingIfNeeded: max(0, p.pts + priming)))
            }
            for d in destinations { d.queue.push(packet) }
            try onPacket?(p)
        }
    }
}
