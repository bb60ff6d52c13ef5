import NIOCore

/// AMF0 values, as RTMP commands and `onMetaData` carry them.
public enum AMF0: Sendable, Equatable {
    case number(Double)
    case boolean(Bool)
    case string(String)
    /// Ordered key/value pairs (order matters to some servers).
    case object([(String, AMF0)])
    case null
    case undefined
    case ecmaArray([(String, AMF0)])
    case strictArray([AMF0])

    enum Marker: UInt8 {
        case number = 0x00, boolean = 0x01, string = 0x02, object = 0x03, null = 0x05, undefined = 0x06
        case ecmaArray = 0x08, objectEnd = 0x09, strictArray = 0x0A, date = 0x0B, longString = 0x0C
    }

    public struct DecodeError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public static func == (a: AMF0, b: AMF0) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.null, .null), (.undefined, .undefined): return true
        case (.object(let x), .object(let y)), (.ecmaArray(let x), .ecmaArray(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.strictArray(let x), .strictArray(let y)): return x == y
        default: return false
        }
    }

    /// A field of an object or ECMA array.
    public subscript(key: String) -> AMF0? {
        switch self {
        case .object(let pairs), .ecmaArray(let pairs): return pairs.first { $0.0 == key }?.1
        default: return nil
        }
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var numberValue: Double? { if case .number(let n) = self { n } else { nil } }

    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .number(let n):
            buffer.writeInteger(Marker.number.rawValue)
            buffer.writeInteger(n.bitPattern)
        case .boolean(let b):
            buffer.writeInteger(Marker.boolean.rawValue)
            buffer.writeInteger(UInt8(b ? 1 : 0))
        case .string(let s):
            let bytes = s.utf8.count
            if bytes > 0xFFFF {
                buffer.writeInteger(Marker.longString.rawValue)
                buffer.writeInteger(UInt32(bytes))
            } else {
                buffer.writeInteger(Marker.string.rawValue)
                buffer.writeInteger(UInt16(bytes))
            }
            buffer.writeString(s)
        case .object(let pairs):
            buffer.writeInteger(Marker.object.rawValue)
            Self.writePairs(pairs, into: &buffer)
        case .null:
            buffer.writeInteger(Marker.null.rawValue)
        case .undefined:
            buffer.writeInteger(Marker.undefined.rawValue)
        case .ecmaArray(let pairs):
            buffer.writeInteger(Marker.ecmaArray.rawValue)
            buffer.writeInteger(UInt32(pairs.count))
            Self.writePairs(pairs, into: &buffer)
        case .strictArray(let items):
            buffer.writeInteger(Marker.strictArray.rawValue)
            buffer.writeInteger(UInt32(items.count))
            for item in items { item.encode(into: &buffer) }
        }
    }

    private static func writePairs(_ pairs: [(String, AMF0)], into buffer: inout ByteBuffer) {
        for (key, value) in pairs {
            buffer.writeInteger(UInt16(key.utf8.count))
            buffer.writeString(key)
            value.encode(into: &buffer)
        }
        buffer.writeInteger(UInt16(0))
        buffer.writeInteger(Marker.objectEnd.rawValue)
    }

    /// Encodes values one after another (a command: name, transaction id, arguments…).
    public static func encode(_ values: [AMF0]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for v in values { v.encode(into: &buffer) }
        return buffer
    }

    /// Decodes every value in the buffer.
    public static func decodeAll(_ buffer: ByteBuffer) throws(DecodeError) -> [AMF0] {
        var b = buffer
        var out: [AMF0] = []
        while b.readableBytes > 0 { out.append(try decode(&b, depth: 0)) }
        return out
    }

    static func decode(_ b: inout ByteBuffer, depth: Int) throws(DecodeError) -> AMF0 {
        guard depth < 32 else { throw DecodeError(description: "AMF0 nested too deeply") }
        guard let raw = b.readInteger(as: UInt8.self) else { throw DecodeError(description: "AMF0 value truncated") }
        guard let marker = Marker(rawValue: raw) else { throw DecodeError(description: "unsupported AMF0 type 0x\(String(raw, radix: 16))") }
        switch marker {
        case .number:
            guard let bits = b.readInteger(as: UInt64.self) else { throw DecodeError(description: "AMF0 number truncated") }
            return .number(Double(bitPattern: bits))
        case .boolean:
            guard let v = b.readInteger(as: UInt8.self) else { throw DecodeError(description: "AMF0 boolean truncated") }
            return .boolean(v != 0)
        case .string:
            guard let n = b.readInteger(as: UInt16.self), let s = b.readString(length: Int(n)) else { throw DecodeError(description: "AMF0 string truncated") }
            return .string(s)
        case .longString:
            guard let n = b.readInteger(as: UInt32.self), let s = b.readString(length: Int(n)) else { throw DecodeError(description: "AMF0 string truncated") }
            return .string(s)
        case .object:
            return .object(try readPairs(&b, depth: depth))
        case .null:
            return .null
        case .undefined:
            return .undefined
        case .ecmaArray:
            guard b.readInteger(as: UInt32.self) != nil else { throw DecodeError(description: "AMF0 array truncated") }
            return .ecmaArray(try readPairs(&b, depth: depth))
        case .strictArray:
            guard let n = b.readInteger(as: UInt32.self), Int(n) <= b.readableBytes else { throw DecodeError(description: "AMF0 array truncated") }
            var items: [AMF0] = []
            for _ in 0..<n { items.append(try decode(&b, depth: depth + 1)) }
            return .strictArray(items)
        case .date:
            guard let ms = b.readInteger(as: UInt64.self), b.readInteger(as: UInt16.self) != nil else { throw DecodeError(description: "AMF0 date truncated") }
            return .number(Double(bitPattern: ms))
        case .objectEnd:
            throw DecodeError(description: "unexpected AMF0 object end")
        }
    }

    private static func readPairs(_ b: inout ByteBuffer, depth: Int) throws(DecodeError) -> [(String, AMF0)] {
        var pairs: [(String, AMF0)] = []
        while true {
            guard let n = b.readInteger(as: UInt16.self) else { throw DecodeError(description: "AMF0 object truncated") }
            if n == 0 {
                guard b.readInteger(as: UInt8.self) == Marker.objectEnd.rawValue else { throw DecodeError(description: "AMF0 object end missing") }
                return pairs
            }
            guard let key = b.readString(length: Int(n)) else { throw DecodeError(description: "AMF0 key truncated") }
            pairs.append((key, try decode(&b, depth: depth + 1)))
        }
    }
}
