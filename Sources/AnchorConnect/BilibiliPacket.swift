/// One packet of Bilibili's live danmaku protocol, as every WebSocket binary frame carries them:
/// a 16-byte big-endian header (packet length u32, header length u16 = 16, protocol version
/// u16, operation u32, sequence u32) and a body. Version 0 bodies are JSON, 1 a heartbeat's
/// 4-byte count, 2 and 3 zlib- and brotli-compressed runs of whole packets.
public struct BilibiliPacket: Sendable, Equatable {
    public enum Operation: UInt32, Sendable {
        case heartbeat = 2, heartbeatReply = 3, message = 5, auth = 7, authReply = 8
    }

    public enum Version: UInt16, Sendable {
        case json = 0, plain = 1, zlib = 2, brotli = 3
    }

    public var version: UInt16
    public var operation: UInt32
    public var sequence: UInt32
    public var body: [UInt8]

    public init(version: Version, operation: Operation, sequence: UInt32 = 1, body: [UInt8]) {
        self.version = version.rawValue
        self.operation = operation.rawValue
        self.sequence = sequence
        self.body = body
    }

    static let headerLength = 16
    /// A frame never expands past this (a compressed body of packets included).
    static let maxExpanded = 4 << 20

    public struct Malformed: Error, CustomStringConvertible, Sendable { public let description: String }

    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.headerLength + body.count)
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) } }
        put(UInt32(Self.headerLength + body.count))
        put(UInt16(Self.headerLength))
        put(version)
        put(operation)
        put(sequence)
        out += body
        return out
    }

    /// Every packet in a frame, compressed runs expanded (one level: a compressed body holding
    /// another compressed body is malformed).
    public static func decode(_ frame: [UInt8]) throws(Malformed) -> [BilibiliPacket] {
        var out: [BilibiliPacket] = []
        try split(frame[...], into: &out, nested: false)
        return out
    }

    private static func split(_ bytes: ArraySlice<UInt8>, into out: inout [BilibiliPacket], nested: Bool) throws(Malformed) {
        var at = bytes.startIndex
        func read<T: FixedWidthInteger>(_: T.Type, _ offset: Int) -> T {
            var v: T = 0
            for i in 0..<MemoryLayout<T>.size { v = v << 8 | T(bytes[at + offset + i]) }
            return v
        }
        while at < bytes.endIndex {
            guard bytes.endIndex - at >= headerLength else { throw Malformed(description: "a packet shorter than its 16-byte header") }
            let length = Int(read(UInt32.self, 0)), header = Int(read(UInt16.self, 4))
            guard header >= headerLength, length >= header, length <= bytes.endIndex - at else {
                throw Malformed(description: "a packet of \(length) bytes (header \(header)) in \(bytes.endIndex - at) bytes left")
            }
            let version = read(UInt16.self, 6), operation = read(UInt32.self, 8), sequence = read(UInt32.self, 12)
            let body = Array(bytes[(at + header)..<(at + length)])
            switch Version(rawValue: version) {
            case .zlib?, .brotli?:
                guard !nested else { throw Malformed(description: "a compressed packet inside a compressed packet") }
                let inner: [UInt8]
                do {
                    inner = version == Version.zlib.rawValue ? try Decompress.zlib(body, limit: maxExpanded) : try Decompress.brotli(body, limit: maxExpanded)
                } catch { throw Malformed(description: error.description) }
                try split(inner[...], into: &out, nested: true)
            default:
                out.append(BilibiliPacket(version: version, operation: operation, sequence: sequence, body: body))
            }
            at += length
        }
    }

    private init(version: UInt16, operation: UInt32, sequence: UInt32, body: [UInt8]) {
        self.version = version; self.operation = operation; self.sequence = sequence; self.body = body
    }
}
