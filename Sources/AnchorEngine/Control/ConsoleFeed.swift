import AnchorStore
import Foundation
import Hummingbird
import NIOCore

/// The console's live feed: Server-Sent Events, one a second, each the status, the chart
/// samples new since the last one (the whole history in the first), blocked messages and
/// unanswered questions. Ends when the server stops (so a graceful shutdown never waits for it).
enum ConsoleFeed {
    struct Message: Encodable {
        var status: Board.Snapshot
        var samples: [Board.Sample]
        var blocked: [LiveChat.Blocked]
        var unanswered: [Board.Unanswered]
        /// The status table, rendered and escaped here as on the page's first load.
        var summary: String
    }

    static func response(board: Board, stopped: @escaping @Sendable () -> Bool) -> Response {
        Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: ResponseBody { writer in
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            var lastSent = 0.0
            // A comment first, so the browser's EventSource opens at once.
            try await writer.write(ByteBuffer(string: ": anchor console\n\n"))
            while !stopped(), !Task.isCancelled {
                let history = board.history
                let status = board.current
                let message = Message(status: status, samples: history.filter { $0.t > lastSent }, blocked: board.chat?.blockedMessages ?? [],
                                      unanswered: board.unanswered, summary: StatusPage.table(status))
                lastSent = history.last?.t ?? lastSent
                var buffer = ByteBuffer(string: "data: ")
                buffer.writeBytes(try encoder.encode(message))
                buffer.writeString("\n\n")
                try await writer.write(buffer)
                try await Task.sleep(for: .seconds(1))
            }
            try await writer.finish(nil)
        })
    }
}
