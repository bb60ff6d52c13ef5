import AnchorChat
import AnchorCore
import AnchorStore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Requires `Authorization: Bearer TOKEN` (or `?token=TOKEN` for a browser); with `openReads`
/// (loopback), GET requests pass without it. The probes and metrics never need it: a kubelet
/// and a Prometheus scraper carry no token, and they tell states and counts — never viewers'
/// text, ingest keys or commands.
struct TokenCheck<Context: RequestContext>: RouterMiddleware {
    static var openPaths: Set<String> { ["/healthz", "/readyz", "/metrics"] }
    let token: String
    let openReads: Bool
    /// Routes that check a webhook signature themselves when the request carries one.
    var signedPaths: Set<String> = []

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openReads || Self.openPaths.contains(request.uri.path), request.method == .get || request.method == .head { return try await next(request, context) }
        if request.method == .post, signedPaths.contains(request.uri.path), request.headers[.init(WebhookSignature.header)!] != nil {
            return try await next(request, context)
        }
        let bearer = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 }
        guard bearer == token || request.uri.queryParameters.get("token") == token else {
            return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"], body: .init(byteBuffer: ByteBuffer(string: "token required\n")))
        }
        return try await next(request, context)
    }
}
