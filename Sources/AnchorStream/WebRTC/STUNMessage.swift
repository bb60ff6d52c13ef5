import CCompress
import Crypto
import Foundation

/// A STUN message (RFC 8489) as ICE uses it: Binding requests, responses and indications with
/// short-term credentials (MESSAGE-INTEGRITY, HMAC-SHA1) and FINGERPRINT (CRC-32).
struct STUNMessage: Equatable {
    static let magicCookie: UInt32 = 0x2112_A442

    enum Kind: UInt16 {
        case bindingRequest = 0x0001
        case bindingIndication = 0x0011
        case bindingSuccess = 0x0101
        case bindingError = 0x0111
    }

    enum Attribute: UInt16 {
        case username = 0x0006
        case messageIntegrity = 0x0008
        case errorCode = 0x0009
        case xorMappedAddress = 0x0020
        case priority = 0x0024
        case useCandidate = 0x0025
        case software = 0x8022
        case fingerprint = 0x8028
        case iceControlled = 0x8029
        case iceControlling = 0x802A
    }

    var kind: Kind
    var transaction: [UInt8]
    /// Attributes in order (type, value), without MESSAGE-INTEGRITY and FINGERPRINT.
    var attributes: [(type: UInt16, value: [UInt8])] = []
    /// As received: what integrity and fingerprint are checked against.
    private(set) var raw: [UInt8] = []

    init(kind: Kind, transaction: [UInt8] = Self.newTransaction()) {
        self.kind = kind
        self.transaction = transaction
    }

    static func newTransaction() -> [UInt8] { (0..<12).map { _ in UInt8.random(in: 0...255) } }

    static func == (a: STUNMessage, b: STUNMessage) -> Bool {
        a.kind == b.kind && a.transaction == b.transaction && a.attributes.elementsEqual(b.attributes) { $0.type == $1.type && $0.value == $1.value }
    }

    mutating func add(_ attribute: Attribute, _ value: [UInt8]) { attributes.append((attribute.rawValue, value)) }

    func value(_ attribute: Attribute) -> [UInt8]? { attributes.first { $0.type == attribute.rawValue }?.value }

    var username: String? { value(.username).map { String(decoding: $0, as: UTF8.self) } }

    /// XOR-MAPPED-ADDRESS as (IPv4 or IPv6 text, port).
    var xorMappedAddress: (host: String, port: Int)? {
        guard let v = value(.xorMappedAddress), v.count >= 8 else { return nil }
        let port = Int(UInt16(v[2]) << 8 | UInt16(v[3])) ^ Int(Self.magicCookie >> 16)
        let mask = Self.cookieBytes + transaction
        switch v[1] {
        case 1: return ((0..<4).map { String(v[4 + $0] ^ mask[$0]) }.joined(separator: "."), port)
        case 2 where v.count >= 20:
            let bytes = (0..<16).map { v[4 + $0] ^ mask[$0] }
            let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            return (groups.joined(separator: ":"), port)
        default: return nil
        }
    }

    static func xorAddress(host: String, port: Int, transaction: [UInt8]) -> [UInt8]? {
        let mask = cookieBytes + transaction
        let xport = UInt16(port) ^ UInt16(magicCookie >> 16)
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            let b = withUnsafeBytes(of: v4) { Array($0) }
            return [0, 1, UInt8(xport >> 8), UInt8(xport & 0xFF)] + (0..<4).map { b[$0] ^ mask[$0] }
        }
        if inet_pton(AF_INET6, host, &v6) == 1 {
            let b = withUnsafeBytes(of: v6) { Array($0) }
            return [0, 2, UInt8(xport >> 8), UInt8(xport & 0xFF)] + (0..<16).map { b[$0] ^ mask[$0] }
        }
        return nil
    }

    private static let cookieBytes: [UInt8] = [0x21, 0x12, 0xA4, 0x42]

    /// The wire form, with MESSAGE-INTEGRITY keyed by `integrityKey` (the ICE password) and FINGERPRINT.
    func encoded(integrityKey: [UInt8]?, fingerprint: Bool = true) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(128)
        out += Self.be16(kind.rawValue) + [0, 0] + Self.cookieBytes + transaction
        for a in attributes { Self.append(a.type, a.value, to: &out) }
        if let integrityKey {
            Self.setLength(&out, adding: 24)
            let mac = HMAC<Insecure.SHA1>.authenticationCode(for: out, using: SymmetricKey(data: integrityKey))
            Self.append(Attribute.messageIntegrity.rawValue, Array(mac), to: &out)
        }
        if fingerprint {
            Self.setLength(&out, adding: 8)
            Self.append(Attribute.fingerprint.rawValue, Self.be32(Self.crc(out) ^ 0x5354_554E), to: &out)
        } else {
            Self.setLength(&out, adding: 0)
        }
        return out
    }

    /// Reads a datagram; nil when it is not STUN.
    static func parse(_ bytes: [UInt8]) -> STUNMessage? {
        guard bytes.count >= 20, bytes[0] & 0xC0 == 0,
              Array(bytes[4..<8]) == cookieBytes else { return nil }
        let length = Int(be16(bytes, 2))
        guard length % 4 == 0, 20 + length <= bytes.count, let kind = Kind(rawValue: be16(bytes, 0)) else { return nil }
        var m = STUNMessage(kind: kind, transaction: Array(bytes[8..<20]))
        m.raw = Array(bytes[0..<(20 + length)])
        var at = 20
        while at + 4 <= m.raw.count {
            let type = be16(m.raw, at), len = Int(be16(m.raw, at + 2))
            guard at + 4 + len <= m.raw.count else { return nil }
            if type != Attribute.messageIntegrity.rawValue, type != Attribute.fingerprint.rawValue {
                m.attributes.append((type, Array(m.raw[(at + 4)..<(at + 4 + len)])))
            }
            at += 4 + (len + 3) / 4 * 4
        }
        return m
    }

    /// Whether the received MESSAGE-INTEGRITY is right for `key` (RFC 8489 §14.5).
    func hasIntegrity(key: [UInt8]) -> Bool {
        guard let at = offset(of: .messageIntegrity), at + 24 <= raw.count else { return false }
        var covered = Array(raw[0..<at])
        Self.setLength(&covered, adding: 24)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: covered, using: SymmetricKey(data: key))
        return Array(mac) == Array(raw[(at + 4)..<(at + 24)])
    }

    /// Whether the received FINGERPRINT matches (RFC 8489 §14.7).
    var hasValidFingerprint: Bool {
        guard let at = offset(of: .fingerprint), at + 8 == raw.count else { return false }
        return Self.crc(Array(raw[0..<at])) ^ 0x5354_554E == Self.be32(raw, at + 4)
    }

    private func offset(of attribute: Attribute) -> Int? {
        var at = 20
        while at + 4 <= raw.count {
            if Self.be16(raw, at) == attribute.rawValue { return at }
            at += 4 + (Int(Self.be16(raw, at + 2)) + 3) / 4 * 4
        }
        return nil
    }

    private static func append(_ type: UInt16, _ value: [UInt8], to out: inout [UInt8]) {
        out += be16(type) + be16(UInt16(value.count)) + value
        out += repeatElement(0, count: (4 - value.count % 4) % 4)
    }

    /// Sets the header's length to what follows it, plus `adding` bytes still to come.
    private static func setLength(_ out: inout [UInt8], adding: Int) {
        let length = UInt16(out.count - 20 + adding)
        out[2] = UInt8(length >> 8); out[3] = UInt8(length & 0xFF)
    }

    private static func crc(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) })
    }

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func be16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) << 8 | UInt16(b[at + 1]) }
    static func be32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }
}
