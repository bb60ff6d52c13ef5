import AnchorStore
import Foundation

/// The replay index as JSON: every segment of the night with its product, times, and the
/// recording and offset to play it from.
public enum ReplayExport {
    public static func json(_ moments: [AirLog.Moment]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(moments)
    }

    public static func write(air: AirLog, to path: String) throws {
        try json(try air.moments()).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
