import Foundation

/// A folder removed when the value goes away.
/// Sendable (unchecked): its one stored property is a constant string; the folder is only
/// removed by deinit, when no one holds the value any more.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String
    public init() throws {
        path = NSTemporaryDirectory() + "anchor-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
