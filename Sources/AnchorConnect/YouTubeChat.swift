import AnchorChat
import AnchorStream
import Foundation
import Synchronization

/// A YouTube live chat, read with the Data API's `liveChatMessages.list`: polls no sooner than
/// the `pollingIntervalMillis` each answer asks for (and no sooner than `minInterval`, which
/// keeps a night within the daily quota), follows `nextPageToken` across reconnects so nothing
/// is read twice, skips the history the first page returns, and meets errors as the reference
/// lists them: a spent quota waits for the reset at midnight Pacific time, a refused key or a
/// disabled chat is retried every few minutes, not in a storm.
public struct YouTubeChat: ChatPlatform {
    public enum Target: Sendable, Equatable {
        /// A video (or live broadcast) id: its `activeLiveChatId` is looked up at each connect.
        case video(String)
        /// A `liveChatId` as the API names it.
        case chat(String)
    }

    /// An API key (`key=`, enough for public chats) or an OAuth access token (Bearer).
    public enum Credential: Sendable {
        case key(String)
        case token(String)
    }

    public let target: Target
    public let api: URL
    public var minInterval: Double
    private let credential: Credential?
    private let fetch: HTTPFetch
    private let cursor: Cursor

    public static let defaultAPI = URL(string: "https://www.googleapis.com/youtube/v3")!

    public init(target: Target, credential: Credential?, api: URL = YouTubeChat.defaultAPI, minInterval: Double = 5) throws {
        self.target = target
        self.credential = credential
        self.api = api
        self.minInterval = minInterval
        fetch = try HTTPFetch()
        cursor = Cursor()
    }

    public var platform: String { "youtube" }
    public var description: String {
        switch target {
        case .video(let v): "youtube:\(v)"
        case .chat(let c): "youtube chat \(c.prefix(12))…"
        }
    }

    /// Where the reading stands, kept across sessions: a reconnect goes on from the last page.
    final class Cursor: Sendable {
        struct State {
            var pageToken: String?
            var lastChat: String?
            var seen: Set<String> = []
            var order: [String] = []
        }
        let state = Mutex(State())

        /// True the first time an id is seen (the last 5 000 are remembered).
        func firstSight(_ id: String) -> Bool {
            state.withLock { s in
                guard s.seen.insert(id).inserted else { return false }
                s.order.append(id)
                if s.order.count > 5_000 {
                    for old in s.order.prefix(1_000) { s.seen.remove(old) }
                    s.order.removeFirst(1_000)
                }
                return true
            }
        }
    }

    public func session(emit: @escaping @Sendable (ViewerEvent) -> Void, connected: @escaping @Sendable () -> Void) async throws {
        let started = Date().timeIntervalSince1970
        let chatID = try await liveChatID()
        var announced = false
        while !Task.isCancelled {
            let token = cursor.state.withLock { $0.pageToken }
            var query = [("liveChatId", chatID), ("part", "id,snippet,authorDetails"), ("maxResults", "2000")]
            if let token { query.append(("pageToken", token)) }
            let list: YouTubeAPI.MessageList = try await call("liveChat/messages", query)
            if !announced { announced = true; connected() }
            let now = Date().timeIntervalSince1970
            var ended = false
            for item in list.items ?? [] {
                if item.snippet?.type == "chatEndedEvent" { ended = true }
                // The first page without a token is the chat's recent history: said before we came.
                if token == nil, let t = YouTubeAPI.seconds(item.snippet?.publishedAt), t < started - 10 { continue }
                if let id = item.id, !cursor.firstSight(id) { continue }
                if let e = YouTubeAPI.event(item, now: now) { emit(e) }
            }
            cursor.state.withLock { $0.pageToken = list.nextPageToken ?? $0.pageToken }
            if ended || list.offlineAt != nil {
                cursor.state.withLock { $0.pageToken = nil }
                throw ConnectorFailure("the live chat ended (the stream is offline)", retryAfter: 60)
            }
            let wait = max(minInterval, Double(list.pollingIntervalMillis ?? 5_000) / 1000)
            try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
        }
    }

    /// A `liveChatMessageListResponse` body as events, without the session's history and
    /// repeat filters (the fuzzer's entry; nil when it is not such a body).
    public static func events(inPage body: Data, now: Double) -> [ViewerEvent]? {
        guard let page = try? JSONDecoder().decode(YouTubeAPI.MessageList.self, from: body) else { return nil }
        return (page.items ?? []).compactMap { YouTubeAPI.event($0, now: now) }
    }

    /// The chat id: given, or the video's `liveStreamingDetails.activeLiveChatId`.
    private func liveChatID() async throws -> String {
        switch target {
        case .chat(let id): return id
        case .video(let video):
            let list: YouTubeAPI.VideoList = try await call("videos", [("part", "liveStreamingDetails"), ("id", video)])
            guard let v = list.items?.first else { throw ConnectorFailure("there is no video \(video)", retryAfter: 300) }
            guard let chat = v.liveStreamingDetails?.activeLiveChatId, !chat.isEmpty else {
                throw ConnectorFailure("video \(video) has no live chat now (not live yet, or ended)", retryAfter: 60)
            }
            cursor.state.withLock { if $0.pageToken != nil, chat != $0.lastChat { $0.pageToken = nil }; $0.lastChat = chat }
            return chat
        }
    }

    /// One API call, decoded; an error answer becomes a `ConnectorFailure` with the wait it calls for.
    private func call<T: Decodable>(_ path: String, _ query: [(String, String)]) async throws -> T {
        var c = URLComponents(url: api.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        var items = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        var headers: [(String, String)] = []
        switch credential {
        case .key(let k): items.append(URLQueryItem(name: "key", value: k))
        case .token(let t): headers.append(("Authorization", "Bearer " + t))
        case nil: break
        }
        c.queryItems = items
        let response = try await fetch.get(c.url!, headers: headers)
        guard response.status == 200 else {
            let error = YouTubeAPI.ErrorBody.read(response.body)
            if error.reason == "pageTokenInvalid" { cursor.state.withLock { $0.pageToken = nil } }
            throw Self.failure(status: response.status, error: error)
        }
        do { return try JSONDecoder().decode(T.self, from: response.body) } catch {
            throw ConnectorFailure("the API answered \(path) with JSON anchor cannot read")
        }
    }

    /// What an error answer means and how long to leave the API alone after it.
    public static func failure(_ r: HTTPFetch.Response, now: Date = Date()) -> ConnectorFailure {
        failure(status: r.status, error: YouTubeAPI.ErrorBody.read(r.body), now: now)
    }

    static func failure(status: Int, error: YouTubeAPI.ErrorBody.Summary, now: Date = Date()) -> ConnectorFailure {
        let reason = error.reason, message = error.message
        let said = message.map { ": " + String($0.prefix(160)) } ?? ""
        switch (status, reason) {
        case (_, "quotaExceeded"), (_, "dailyLimitExceeded"):
            let wait = secondsToQuotaReset(from: now)
            return ConnectorFailure("the API quota is spent for today; it resets at midnight Pacific time", retryAfter: wait)
        case (_, "rateLimitExceeded"), (429, _), (_, "userRateLimitExceeded"):
            return ConnectorFailure("the API asks to slow down (\(reason.isEmpty ? "429" : reason))", retryAfter: 30)
        case (_, "liveChatEnded"):
            return ConnectorFailure("the live chat ended", retryAfter: 60)
        case (_, "liveChatNotFound"), (404, _):
            return ConnectorFailure("no such live chat (\(status)\(said))", retryAfter: 60)
        case (_, "liveChatDisabled"):
            return ConnectorFailure("the live chat is turned off for this stream", retryAfter: 300)
        case (_, "pageTokenInvalid"):
            return ConnectorFailure("the page token was refused; starting from now")
        case (400, _) where reason == "keyInvalid" || message?.contains("API key") == true,
             (401, _), (403, _):
            return ConnectorFailure("the API refused the key or token (\(status) \(reason)\(said)); check $ANCHOR_YOUTUBE_KEY or $ANCHOR_YOUTUBE_TOKEN", retryAfter: 600)
        case (500..., _):
            return ConnectorFailure("the API failed (\(status)\(said))")
        default:
            return ConnectorFailure("the API answered \(status) \(reason)\(said)", retryAfter: 300)
        }
    }

    /// Seconds until the next midnight in Los Angeles (when the daily quota resets), plus a minute.
    static func secondsToQuotaReset(from now: Date) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Los_Angeles") ?? TimeZone(secondsFromGMT: -8 * 3600)!
        let midnight = calendar.nextDate(after: now, matching: DateComponents(hour: 0, minute: 0, second: 0), matchingPolicy: .nextTime)
            ?? now.addingTimeInterval(86_400)
        return midnight.timeIntervalSince(now) + 60
    }
}
