import NIOCore

/// What the client reads: the server's half of the handshake, then whole messages.
public enum RTMPInbound: Sendable {
    /// S1 (1536 bytes), to be echoed in C2; S0 and S2 were read and checked.
    case handshake(s1: ByteBuffer)
    case message(RTMPMessage)
}

/// What the client writes: handshake bytes as they are, then messages to be chunked.
public enum RTMPOutbound: Sendable {
    case raw(ByteBuffer)
    case message(RTMPMessage)
}

public struct RTMPProtocolError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// Reads S0+S1+S2, then de-chunks messages (all four header formats, extended timestamps,
/// interleaved chunk streams). A Set Chunk Size from the peer applies to what follows.
public struct RTMPChunkDecoder: ByteToMessageDecoder {
    public typealias InboundOut = RTMPInbound
    static let handshakeSize = 1536

    private struct StreamState {
        var timestamp: UInt32 = 0
        var delta: UInt32 = 0
        var length = 0
        var type: UInt8 = 0
        var streamID: UInt32 = 0
        var extended = false
        var partial: ByteBuffer?
    }

    private var handshakeDone = false
    private var chunkSize = 128
    private var streams: [UInt32: StreamState] = [:]
    /// Bytes read so far (for acknowledgements).
    public private(set) var bytesRead: UInt64 = 0

    public init() {}

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if !handshakeDone {
            guard buffer.readableBytes >= 1 + 2 * Self.handshakeSize else { return .needMoreData }
            let version = buffer.readInteger(as: UInt8.self)!
            guard version == 3 else { throw RTMPProtocolError(description: "the server answered with RTMP version \(version), not 3 (is this an RTMP port?)") }
            let s1 = buffer.readSlice(length: Self.handshakeSize)!
            buffer.moveReaderIndex(forwardBy: Self.handshakeSize) // S2: an echo of C1, not checked (servers differ)
            handshakeDone = true
            bytesRead += UInt64(1 + 2 * Self.handshakeSize)
            context.fireChannelRead(wrapInboundOut(.handshake(s1: s1)))
            return .continue
        }
        var b = buffer
        guard let first = b.readInteger(as: UInt8.self) else { return .needMoreData }
        let format = first >> 6
        var csid = UInt32(first & 0x3F)
        if csid == 0 {
            guard let x = b.readInteger(as: UInt8.self) else { return .needMoreData }
            csid = 64 + UInt32(x)
        } else if csid == 1 {
            guard let lo = b.readInteger(as: UInt8.self), let hi = b.readInteger(as: UInt8.self) else { return .needMoreData }
            csid = 64 + UInt32(lo) + UInt32(hi) * 256
        }
        var state = streams[csid] ?? StreamState()
        if format < 3, state.partial != nil {
            throw RTMPProtocolError(description: "a new message began on chunk stream \(csid) before the last one ended")
        }
        var field: UInt32 = 0
        switch format {
        case 0:
            guard b.readableBytes >= 11 else { return .needMoreData }
            field = Self.read24(&b)
            state.length = Int(Self.read24(&b))
            state.type = b.readInteger(as: UInt8.self)!
            state.streamID = b.readInteger(endianness: .little, as: UInt32.self)!
        case 1:
            guard b.readableBytes >= 7 else { return .needMoreData }
            field = Self.read24(&b)
            state.length = Int(Self.read24(&b))
            state.type = b.readInteger(as: UInt8.self)!
        case 2:
            guard b.readableBytes >= 3 else { return .needMoreData }
            field = Self.read24(&b)
        default:
            break
        }
        if format < 3 { state.extended = field == 0xFFFFFF }
        if state.extended {
            // Also present on type-3 chunks after an extended timestamp.
            guard let ext = b.readInteger(as: UInt32.self) else { return .needMoreData }
            if format < 3 { field = ext }
        }
        if state.partial == nil {
            switch format {
            case 0: state.timestamp = field
            case 1, 2: state.delta = field; state.timestamp &+= field
            default: state.timestamp &+= state.delta // a new message with the previous header
            }
            guard state.length <= 16 << 20 else { throw RTMPProtocolError(description: "message of \(state.length) bytes is too large") }
            state.partial = ByteBufferAllocator().buffer(capacity: state.length)
        }
        let need = state.length - state.partial!.readableBytes
        let take = min(need, chunkSize)
        guard let piece = b.readSlice(length: take) else { return .needMoreData }
        state.partial!.writeImmutableBuffer(piece)
        bytesRead += UInt64(buffer.readableBytes - b.readableBytes)
        buffer = b
        if state.partial!.readableBytes == state.length {
            let message = RTMPMessage(type: state.type, streamID: state.streamID, timestamp: state.timestamp, chunkStreamID: csid,
                                      payload: state.partial!)
            state.partial = nil
            streams[csid] = state
            if message.kind == .setChunkSize, var p = Optional(message.payload), let size = p.readInteger(as: UInt32.self) {
                chunkSize = Int(max(1, min(size & 0x7FFF_FFFF, 16 << 20)))
            }
            context.fireChannelRead(wrapInboundOut(.message(message)))
        } else {
            streams[csid] = state
        }
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    static func read24(_ b: inout ByteBuffer) -> UInt32 {
        let x = b.readBytes(length: 3)!
        return UInt32(x[0]) << 16 | UInt32(x[1]) << 8 | UInt32(x[2])
    }
}

/// Chunks outgoing messages: a type-0 header for each message's first chunk, type-3 for the
/// rest, extended timestamps past 0xFFFFFF. Sending Set Chunk Size switches to the new size.
public final class RTMPChunkEncoder: MessageToByteEncoder {
    public typealias OutboundIn = RTMPOutbound
    private var chunkSize = 128

    public init() {}

    public func encode(data: RTMPOutbound, out: inout ByteBuffer) throws {
        switch data {
        case .raw(let bytes):
            var b = bytes
            out.writeBuffer(&b)
        case .message(let m):
            Self.write(m, chunkSize: chunkSize, into: &out)
            if m.kind == .setChunkSize, var p = Optional(m.payload), let size = p.readInteger(as: UInt32.self) {
                chunkSize = Int(size)
            }
        }
    }

    static func write(_ m: RTMPMessage, chunkSize: Int, into out: inout ByteBuffer) {
        let extended = m.timestamp >= 0xFFFFFF
        var payload = m.payload
        var first = true
        repeat {
            writeBasicHeader(format: first ? 0 : 3, csid: m.chunkStreamID, into: &out)
            if first {
                write24(extended ? 0xFFFFFF : m.timestamp, into: &out)
                write24(UInt32(payload.readableBytes), into: &out)
                out.writeInteger(m.type)
                out.writeInteger(m.streamID, endianness: .little)
            }
            if extended { out.writeInteger(m.timestamp) }
            var slice = payload.readSlice(length: min(chunkSize, payload.readableBytes))!
            out.writeBuffer(&slice)
            first = false
        } while payload.readableBytes > 0
    }

    static func writeBasicHeader(format: UInt8, csid: UInt32, into out: inout ByteBuffer) {
        switch csid {
        case 2...63: out.writeInteger(format << 6 | UInt8(csid))
        case 64...319:
            out.writeInteger(format << 6)
            out.writeInteger(UInt8(csid - 64))
        default:
            out.writeInteger(format << 6 | 1)
            out.writeInteger(UInt8((csid - 64) & 0xFF))
            out.writeInteger(UInt8((csid - 64) >> 8))
        }
    }

    static func write24(_ v: UInt32, into out: inout ByteBuffer) {
        out.writeInteger(UInt8((v >> 16) & 0xFF))
        out.writeInteger(UInt8((v >> 8) & 0xFF))
        out.writeInteger(UInt8(v & 0xFF))
    }
}
