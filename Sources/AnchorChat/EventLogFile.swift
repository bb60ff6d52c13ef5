import Foundation

/// A JSON-lines log of viewer events (a chat log is one): replayed by `--events` and `--chat`.
public struct EventLogFile: Sendable {
    public let path: String
    public init(path: String) { self.path = path }

    /// Every event of the file, in file order; a bad line is an error naming file:line. A line
    /// without `t` takes its line number as its time.
    public func readAll() throws(ChatLogFile.LineError) -> [ViewerEvent] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ChatLogFile.LineError(path: path, line: 0, reason: "cannot read the file")
        }
        var out: [ViewerEvent] = []
        for (i, line) in ViewerEvent.lines(of: data).enumerated() where !line.isEmpty {
            do { out.append(try ViewerEvent.parse(line: line, time: Double(out.count), platform: "file")) } catch {
                throw ChatLogFile.LineError(path: path, line: i + 1, reason: error.description)
            }
        }
        return out
    }

    /// The events in order (a file read whole first, so a bad line stops before anything airs).
    public func events() -> AsyncThrowingStream<ViewerEvent, Error> {
        AsyncThrowingStream { c in
            do { for e in try readAll() { c.yield(e) }; c.finish() } catch { c.finish(throwing: error) }
        }
    }

    /// JSON lines typed or piped on standard input; a bad line is reported on stderr and skipped
    /// (a live feed must not stop the show).
    public static func stdin(onError: @escaping @Sendable (String) -> Void) -> AsyncThrowingStream<ViewerEvent, Error> {
        AsyncThrowingStream { c in
            Thread.detachNewThread {
                var n = 0
                while let line = readLine(strippingNewline: true) {
                    n += 1
                    guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                    do {
                        c.yield(try ViewerEvent.parse(line: Data(line.utf8), time: Date().timeIntervalSince1970, platform: "stdin"))
                    } catch {
                        onError("stdin line \(n): \(error)")
                    }
                }
                c.finish()
            }
        }
    }
}
