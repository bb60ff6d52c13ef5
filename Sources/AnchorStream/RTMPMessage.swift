import NIOCore

/// One RTMP message: what the chunk stream carries, reassembled.
public struct RTMPMessage: Sendable {
    public enum Kind: UInt8, Sendable {
        case setChunkSize = 1, abort = 2, acknowledgement = 3, userControl = 4, windowAckSize = 5, setPeerBandwidth = 6
        case audio = 8, video = 9, dataAMF3 = 15, commandAMF3 = 17, dataAMF0 = 18, commandAMF0 = 20
    }

    /// The message type id (unknown types are kept as numbers and ignored).
    public var type: UInt8
    public var streamID: UInt32
    /// Milliseconds; wraps at 2^32 (about 49 days), as RTMP does.
    public var timestamp: UInt32
    /// The chunk stream it travels on (outbound: chosen per kind).
    public var chunkStreamID: UInt32
    public var payload: ByteBuffer

    public var kind: Kind? { Kind(rawValue: type) }

    public init(_ kind: Kind, streamID: UInt32 = 0, timestamp: UInt32 = 0, chunkStreamID: UInt32? = nil, payload: ByteBuffer) {
        self.init(type: kind.rawValue, streamID: streamID, timestamp: timestamp,
                  chunkStreamID: chunkStreamID ?? Self.defaultChunkStream(kind), payload: payload)
    }

    public init(type: UInt8, streamID: UInt32, timestamp: UInt32, chunkStreamID: UInt32, payload: ByteBuffer) {
        self.type = type
        self.streamID = streamID
        self.timestamp = timestamp
        self.chunkStreamID = chunkStreamID
        self.payload = payload
    }

    /// Chunk streams as common encoders use them: control 2, commands 3, audio 4, data 5, video 6.
    static func defaultChunkStream(_ kind: Kind) -> UInt32 {
        switch kind {
        case .setChunkSize, .abort, .acknowledgement, .userControl, .windowAckSize, .setPeerBandwidth: 2
        case .commandAMF0, .commandAMF3: 3
        case .audio: 4
        case .dataAMF0, .dataAMF3: 5
        case .video: 6
        }
    }

    // MARK: Builders

    static func control(_ kind: Kind, _ value: UInt32) -> RTMPMessage {
        var b = ByteBuffer()
        b.writeInteger(value)
        return RTMPMessage(kind, payload: b)
    }

    static func setPeerBandwidth(_ value: UInt32) -> RTMPMessage {
        var b = ByteBuffer()
        b.writeInteger(value)
        b.writeInteger(UInt8(2)) // dynamic
        return RTMPMessage(.setPeerBandwidth, payload: b)
    }

    static func command(_ name: String, transaction: Double, _ arguments: [AMF0], streamID: UInt32 = 0, chunkStreamID: UInt32? = nil) -> RTMPMessage {
        RTMPMessage(.commandAMF0, streamID: streamID, chunkStreamID: chunkStreamID,
                    payload: AMF0.encode([.string(name), .number(transaction)] + arguments))
    }

    /// User control event 7 (ping response) echoing the server's timestamp.
    static func pingResponse(_ timestamp: UInt32) -> RTMPMessage {
        var b = ByteBuffer()
        b.writeInteger(UInt16(7))
        b.writeInteger(timestamp)
        return RTMPMessage(.userControl, payload: b)
    }
}
