import AnchorAvatar
import AnchorStream
import Foundation
import Synchronization

/// What a running channel looks like from outside: the status page, JSON status and metrics
/// read it; the live loop writes it (once a second, at each marker, a thumbnail a second).
public final class Board: Sendable {
    public struct Snapshot: Sendable, Codable {
        public var channel: String
        public var onAir = false
        public var startedAt = Date()
        public var uptimeSeconds = 0.0
        public var show = ""
        public var segment = ""
        public var productSKU: String?
        public var position = ShowPosition.start
        public var paused = false
        public var fps = 0.0
        public var videoKbps = 0.0
        public var framesSent = 0
        public var framesSkipped = 0
        public var destinations: [DestinationSnapshot] = []
        public var chat = LiveChat.Stats()
        public var chatPerMinute = 0.0
        public var answersWaiting = 0
        public var recording: Recorder.Status?
        /// The state database's writes (position, replay index).
        public var database: AirLogWriter.Status?
        /// Shows that cannot air, with why.
        public var problems: [String: String] = [:]
        /// Chat connectors (e.g. `ircs://irc.chat.twitch.tv:6697/#shop`) and their state.
        public var connectors: [String: String] = [:]
        /// The lucky draw taking entries now, if any.
        public var draw: DrawSnapshot?
        /// Clips and music beds that could not be played (the show went on without them).
        public var media: [String] = []
        /// The analytics' writes.
        public var analytics: AnalyticsWriter.Status?
        /// When the frame loop last reported (once a second while it runs).
        public var updatedAt: Date?
        /// Why the channel stopped on an error, if it did.
        public var failure: String?
        /// The channel has ended (its duration, or a shutdown).
        public var ended = false
        /// Times the channel stopped on an error (and, in a station, started again).
        public var restarts = 0
    }

    /// One second of the channel, for the console's charts.
    public struct Sample: Sendable, Codable, Equatable {
        /// Unix seconds.
        public var t: Double
        public var chatPerMinute: Double
        /// Seconds from question to answer of the answers heard in this second (nil: none).
        public var latency: Double?
        public var kbps: Double
        public var skipped: Int
    }

    /// An unanswered question of this run, grouped by text, for the console's "add as FAQ".
    public struct Unanswered: Sendable, Codable, Equatable {
        public var text: String
        public var count: Int
        public var productSku: String?
        public var language: String
    }

    public struct DrawSnapshot: Sendable, Codable, Equatable {
        public var keyword: String
        public var entrants: Int
    }

    public struct DestinationSnapshot: Sendable, Codable {
        public var url: String
        public var state: String
        /// Publishing now (what readiness asks; `state` says it for people).
        public var live: Bool
        public var sessions: Int
        public var reconnects: Int
        public var bytes: Int
        public var droppedVideo: Int
        public var droppedAudio: Int
        /// Media waiting to be sent, in ms: above ~0.5 s the ingest is not keeping up.
        public var behindMs: Int
        public var lastError: String?
        /// A WHIP destination's transport: connected to, RTP packets, NACKs, keyframe requests, latency.
        public var webrtc: String?
    }

    private let snapshot: Mutex<Snapshot>
    private let picture = Mutex<CairoSurface?>(nil)
    private let chatWindow = Mutex<[(Date, Int)]>([])
    public let station: Station?
    public let chat: LiveChat?
    public var recorder: Recorder? { recorderBox.withLock { $0 } }
    private let recorderBox = Mutex<Recorder?>(nil)
    private let writerBox = Mutex<AirLogWriter?>(nil)
    private let connectorBox = Mutex<[String: @Sendable () -> String]>([:])
    /// The channel's instruments (none for a board without a channel's metrics).
    public let metrics: ChannelMetrics?
    private let samples = Mutex<(list: [Sample], answered: Int, skipped: Int)>(([], 0, 0))
    private let unansweredBox = Mutex<[Unanswered]>([])
    private let analyticsBox = Mutex<AnalyticsWriter?>(nil)
    /// Seconds of chart history kept.
    public static let historySeconds = 600

    public init(channel: String, station: Station?, chat: LiveChat?, metrics: ChannelMetrics? = nil) {
        snapshot = Mutex(Snapshot(channel: channel))
        self.metrics = metrics
        self.station = station
        self.chat = chat
    }

    public func attach(_ recorder: Recorder) { recorderBox.withLock { $0 = recorder } }
    public func attach(_ writer: AirLogWriter) { writerBox.withLock { $0 = writer } }
    public func attach(_ analytics: AnalyticsWriter) { analyticsBox.withLock { $0 = analytics } }
    public var analytics: AnalyticsWriter? { analyticsBox.withLock { $0 } }

    /// The charts' history, oldest first.
    public var history: [Sample] { samples.withLock { $0.list } }

    /// Unanswered questions of this run, most asked first (at most 50).
    public var unanswered: [Unanswered] { unansweredBox.withLock { $0 } }

    public func noteUnanswered(_ text: String, productSku: String?, language: String) {
        unansweredBox.withLock { list in
            if let i = list.firstIndex(where: { $0.text.lowercased() == text.lowercased() }) {
                list[i].count += 1
            } else {
                list.append(Unanswered(text: String(text.prefix(300)), count: 1, productSku: productSku, language: language))
            }
            list.sort { $0.count > $1.count }
            if list.count > 50 { list.removeLast(list.count - 50) }
        }
    }

    /// An unanswered question got its FAQ entry.
    public func resolveUnanswered(_ text: String) {
        unansweredBox.withLock { $0.removeAll { $0.text.lowercased() == text.lowercased() } }
    }
    /// A chat connector's state, read at each status.
    public func attachConnector(_ name: String, state: @escaping @Sendable () -> String) { connectorBox.withLock { $0[name] = state } }

    public var current: Snapshot {
        var s = snapshot.withLock { $0 }
        s.uptimeSeconds = Date().timeIntervalSince(s.startedAt)
        if let chat {
            s.chat = chat.stats
            s.chat.latencies = Array(s.chat.latencies.suffix(50))
            s.chat.thanksLatencies = Array(s.chat.thanksLatencies.suffix(50))
        }
        s.recording = recorder?.status
        s.database = writerBox.withLock { $0?.status }
        s.problems = station?.problems ?? [:]
        s.connectors = connectorBox.withLock { $0 }.mapValues { $0() }
        s.draw = chat?.openDraw
        s.analytics = analytics?.status
        return s
    }

    /// The latest small picture as PNG.
    public var thumbnailPNG: [UInt8]? { picture.withLock { $0?.pngData() } }

    public func thumbnail(_ surface: CairoSurface) { picture.withLock { $0 = surface } }

    public func update(_ s: LiveRenderer.Status) {
        let stats = chat?.stats
        let perMinute: Double = chatWindow.withLock { w in
            let now = Date()
            w.append((now, stats?.received ?? 0))
            w.removeAll { now.timeIntervalSince($0.0) > 60 }
            guard let first = w.first, let last = w.last, last.0 > first.0 else { return 0 }
            return Double(last.1 - first.1) / last.0.timeIntervalSince(first.0) * 60
        }
        snapshot.withLock { b in
            b.updatedAt = Date()
            // On air (again, after a restart).
            b.failure = nil
            b.ended = false
            b.onAir = s.destinations.isEmpty || s.destinations.contains { Self.isLive($0.state) }
            b.paused = s.paused
            b.fps = s.fps
            b.videoKbps = s.videoKbps
            b.framesSent = s.framesSent
            b.framesSkipped = s.framesSkipped
            b.answersWaiting = s.answersWaiting
            b.media = s.problems
            b.chatPerMinute = perMinute
            b.destinations = s.destinations.map { d in
                DestinationSnapshot(url: d.url, state: Self.describe(d.state, behindMs: d.queueMs), live: Self.isLive(d.state), sessions: d.sessions, reconnects: d.reconnects, bytes: Int(d.bytes),
                                    droppedVideo: d.queue.droppedVideo, droppedAudio: d.queue.droppedAudio, behindMs: Int(d.queueMs), lastError: d.lastError,
                                    webrtc: d.webrtc?.summary)
            }
        }
        metrics?.bitrate.record(s.videoKbps)
        metrics?.destinations(s.destinations)
        samples.withLock { h in
            let answered = stats?.answered ?? 0
            let new = stats?.latencies(since: h.answered) ?? []
            h.list.append(Sample(t: Date().timeIntervalSince1970, chatPerMinute: perMinute, latency: new.isEmpty ? nil : new.reduce(0, +) / Double(new.count),
                                 kbps: s.videoKbps, skipped: max(0, s.framesSkipped - h.skipped)))
            (h.answered, h.skipped) = (answered, s.framesSkipped)
            if h.list.count > Self.historySeconds { h.list.removeFirst(h.list.count - Self.historySeconds) }
        }
    }

    /// The channel stopped on an error: off air, and not ready (until it reports again).
    public func fail(_ reason: String) { snapshot.withLock { $0.failure = reason; $0.onAir = false; $0.ended = true; $0.restarts += 1 } }

    /// The channel has ended as asked.
    public func end() { snapshot.withLock { $0.onAir = false; $0.ended = true } }

    public func marker(_ m: LiveDirector.Marker) {
        snapshot.withLock { b in
            b.show = m.program
            b.position = m.position
            if case .segment(let title, let sku) = m.kind { b.segment = title; b.productSKU = sku }
        }
    }

    /// Queued media past which a live destination is reported as falling behind.
    static let behindThresholdMs: UInt32 = 500

    static func isLive(_ state: Destination.State) -> Bool { if case .publishing = state { true } else { false } }

    static func describe(_ state: Destination.State, behindMs: UInt32 = 0) -> String {
        switch state {
        case .connecting: "connecting"
        case .publishing: behindMs > behindThresholdMs ? String(format: "live, falling behind (%.1f s queued: the ingest reads slower than we send)", Double(behindMs) / 1000) : "live"
        case .waiting(let t, let why): String(format: "retrying in %.1f s (%@)", t, why)
        case .failed(let why): "refused: \(why)"
        case .finished: "ended"
        }
    }
}
