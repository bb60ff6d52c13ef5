import Foundation
import NIOHTTP1

/// The HTTP side of WHIP (RFC 9725): POST the offer, read the answer and the session's
/// Location, DELETE it at the end. Statuses become `PublishError`s that decide the retry:
/// a refused token or offer is permanent (no retry storm), 429/503 wait as long as asked.
struct WHIPClient: Sendable {
    struct Session: Sendable {
        var answer: String
        /// The session resource to DELETE (Location, resolved against the endpoint).
        var resource: URL?
        /// `Link: <stun:…>; rel="ice-server"` entries.
        var iceServers: [String]
    }

    let endpoint: WHIPEndpoint
    let http: HTTPFetch

    func publish(offer: String) async throws(PublishError) -> Session {
        var url = endpoint.url
        for _ in 0..<3 {
            let r: HTTPFetch.Response
            do {
                r = try await http.send(.POST, url, headers: headers + [("Content-Type", "application/sdp")], body: Data(offer.utf8))
            } catch {
                throw .unreachable("cannot reach the WHIP endpoint \(endpoint.redacted): \(error)")
            }
            switch r.status {
            case 200, 201:
                guard r.header("Content-Type")?.lowercased().hasPrefix("application/sdp") ?? true, !r.body.isEmpty else {
                    throw .rejected("the WHIP endpoint \(endpoint.redacted) answered \(r.status) without an SDP answer")
                }
                let resource = r.header("Location").flatMap { URL(string: $0, relativeTo: url)?.absoluteURL }
                return Session(answer: String(decoding: r.body, as: UTF8.self), resource: resource, iceServers: Self.iceServers(r))
            case 307, 308:
                guard let next = r.header("Location").flatMap({ URL(string: $0, relativeTo: url)?.absoluteURL }) else {
                    throw .rejected("the WHIP endpoint \(endpoint.redacted) redirected (\(r.status)) without a Location")
                }
                url = next
            default:
                throw Self.failure(r, endpoint: endpoint.redacted)
            }
        }
        throw .rejected("the WHIP endpoint \(endpoint.redacted) redirected more than 3 times")
    }

    /// Sends a candidate learned after the offer (RFC 9725 §4.3.1); the status (204 when taken,
    /// 405/501 when the endpoint does not trickle), or nil without an answer.
    func trickle(_ fragment: String, to resource: URL) async -> Int? {
        try? await http.send(.PATCH, resource, headers: headers + [("Content-Type", "application/trickle-ice-sdpfrag")], body: Data(fragment.utf8)).status
    }

    /// Ends the session on the server, waiting at most 3 s (a stop or a reconnect does not
    /// hang on a slow server; it times the session out anyway).
    func delete(_ resource: URL) async -> Int? {
        var quick = http
        quick.timeout = .seconds(3)
        return try? await quick.send(.DELETE, resource, headers: headers).status
    }

    private var headers: [(String, String)] { endpoint.token.map { [("Authorization", "Bearer \($0)")] } ?? [] }

    static func failure(_ r: HTTPFetch.Response, endpoint: String) -> PublishError {
        let said = String(decoding: r.body.prefix(160), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let detail = said.isEmpty ? "" : ": \(said)"
        switch r.status {
        case 401, 403:
            return .rejected("the WHIP endpoint \(endpoint) refused the token (\(r.status))\(detail); check --push-token / $ANCHOR_WHIP_TOKEN")
        case 404:
            return .rejected("no WHIP endpoint at \(endpoint) (404)")
        case 400, 405, 406, 415, 422:
            return .rejected("the WHIP endpoint \(endpoint) refused the offer (\(r.status))\(detail)")
        case 409:
            return .busy("the WHIP endpoint \(endpoint) is already publishing this stream (409)")
        case 429, 500...599:
            return .unavailable("the WHIP endpoint \(endpoint) is unavailable (\(r.status))\(detail)", retryAfter: retryAfter(r.header("Retry-After")))
        default:
            return .rejected("the WHIP endpoint \(endpoint) answered \(r.status)\(detail)")
        }
    }

    /// Retry-After in seconds (delta-seconds or an HTTP date).
    static func retryAfter(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func iceServers(_ r: HTTPFetch.Response) -> [String] {
        r.headers.filter { $0.0.lowercased() == "link" }.flatMap { $0.1.split(separator: ",") }.compactMap { link in
            guard link.lowercased().contains("rel=\"ice-server\""), let open = link.firstIndex(of: "<"), let close = link.firstIndex(of: ">") else { return nil }
            return String(link[link.index(after: open)..<close])
        }
    }
}
