import AnchorMedia
@testable import AnchorStream
import Foundation
import Synchronization
import NIOCore
import NIOEmbedded
import Testing

@Suite struct StreamURLTests {
    @Test func partsAndDefaults() throws {
        let u = try StreamURL("rtmp://live.example.com/app/abc123")
        #expect(u.scheme == .rtmp && u.host == "live.example.com" && u.port == 1935 && u.app == "app" && u.streamName == "abc123")
        #expect(u.tcURL == "rtmp://live.example.com:1935/app")
        let s = try StreamURL("rtmps://ingest.example.com:4443/live2/inst/KEY-long-secret?token=t0p&sig=s3")
        #expect(s.scheme == .rtmps && s.port == 4443 && s.app == "live2/inst" && s.streamName == "KEY-long-secret?token=t0p&sig=s3")
        #expect(try StreamURL("rtmps://a.example.com/live/k").port == 443)
        #expect(try StreamURL("rtmp://[::1]:1936/live/k").host == "::1")
    }

    @Test func redactionHidesKeysAndTokens() throws {
        let s = try StreamURL("rtmps://ingest.example.com/live/sk_live_secretvalue?token=t0p&sig=s3")
        #expect(s.redacted == "rtmps://ingest.example.com:443/live/sk…****?token=****&sig=****")
        #expect(!"\(s)".contains("secret") && !"\(s)".contains("t0p"))
        #expect(try StreamURL("rtmp://h/live/short").redacted.hasSuffix("/live/****"))
    }

    @Test func badURLsSayWhyWithoutTheKey() {
        func message(_ text: String) -> String {
            do { _ = try StreamURL(text); return "" } catch { return error.description }
        }
        #expect(message("http://h/live/secretkey").contains("unsupported scheme 'http://'"))
        #expect(!message("http://h/live/secretkey").contains("secretkey"))
        #expect(message("rtmp://h/live").contains("no stream key"))
        #expect(message("rtmp://h:99999/live/k").contains("bad port"))
        #expect(message("live/key").contains("not a stream URL"))
        #expect(message("rtmp:///live/k").contains("no host"))
    }
}

@Suite struct AMF0Tests {
    @Test func roundTrip() throws {
        let values: [AMF0] = [
            .string("connect"), .number(1), .object([("app", .string("live")), ("tcUrl", .string("rtmp://h/live")), ("n", .number(3.5))]),
            .null, .boolean(true), .ecmaArray([("width", .number(1280)), ("stereo", .boolean(false))]), .strictArray([.number(1), .string("两")]),
            .undefined, .string(String(repeating: "x", count: 70_000)),
        ]
        let decoded = try AMF0.decodeAll(AMF0.encode(values))
        #expect(decoded == values)
        #expect(decoded[2]["app"]?.stringValue == "live")
    }

    @Test func knownBytes() {
        // "_result" as AMF0: marker 2, length 7, bytes.
        let b = AMF0.encode([.string("_result"), .number(1)])
        #expect(Array(b.readableBytesView) == [0x02, 0x00, 0x07] + Array("_result".utf8) + [0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0])
    }

    @Test func truncatedInputIsAnErrorNotACrash() {
        var b = AMF0.encode([.object([("key", .string("value"))])])
        b.moveWriterIndex(to: b.writerIndex - 3)
        #expect(throws: AMF0.DecodeError.self) { try AMF0.decodeAll(b) }
        var deep = ByteBuffer()
        for _ in 0..<100 { deep.writeInteger(UInt8(0x0A)); deep.writeInteger(UInt32(1)) }
        #expect(throws: AMF0.DecodeError.self) { try AMF0.decodeAll(deep) }
    }
}

@Suite struct ChunkCodecTests {
    /// Encodes messages with the encoder, then feeds the bytes, in awkward pieces, to the decoder.
    func roundTrip(_ messages: [RTMPMessage], pieces: Int = 7) throws -> [RTMPMessage] {
        let encoder = EmbeddedChannel(handler: MessageToByteHandler(RTMPChunkEncoder()))
        for m in messages { try encoder.writeOutbound(RTMPOutbound.message(m)) }
        var wire = ByteBuffer()
        while var b = try encoder.readOutbound(as: ByteBuffer.self) { wire.writeBuffer(&b) }
        let decoder = EmbeddedChannel(handler: ByteToMessageHandler(RTMPChunkDecoder()))
        // The decoder first expects the server's handshake.
        var handshake = ByteBuffer()
        handshake.writeInteger(UInt8(3))
        handshake.writeRepeatingByte(0, count: 3072)
        try decoder.writeInbound(handshake)
        guard case .handshake? = try decoder.readInbound(as: RTMPInbound.self) else { Issue.record("no handshake"); return [] }
        while wire.readableBytes > 0 {
            try decoder.writeInbound(wire.readSlice(length: min(pieces, wire.readableBytes))!)
        }
        var out: [RTMPMessage] = []
        while let item = try decoder.readInbound(as: RTMPInbound.self) {
            if case .message(let m) = item { out.append(m) }
        }
        return out
    }

    func payload(_ n: Int, seed: UInt8) -> ByteBuffer {
        var b = ByteBuffer()
        for i in 0..<n { b.writeInteger(UInt8(truncatingIfNeeded: i &* 31 &+ Int(seed))) }
        return b
    }

    @Test func messagesSurviveChunkingAtBothSizes() throws {
        let messages = [
            RTMPMessage(.video, streamID: 1, timestamp: 40, payload: payload(300, seed: 1)), // 3 chunks at 128
            RTMPMessage.control(.setChunkSize, 4096),
            RTMPMessage(.video, streamID: 1, timestamp: 73, payload: payload(10_000, seed: 2)), // 3 chunks at 4096
            RTMPMessage(.audio, streamID: 1, timestamp: 0xFFFFFF + 5, payload: payload(5_000, seed: 3)), // extended timestamp
            RTMPMessage(.commandAMF0, payload: AMF0.encode([.string("onStatus")])),
            RTMPMessage(type: 9, streamID: 1, timestamp: 1, chunkStreamID: 400, payload: payload(10, seed: 4)), // 3-byte basic header
        ]
        let back = try roundTrip(messages)
        #expect(back.count == messages.count)
        for (a, b) in zip(messages, back) {
            #expect(a.type == b.type && a.streamID == b.streamID && a.timestamp == b.timestamp && a.chunkStreamID == b.chunkStreamID)
            #expect(a.payload == b.payload)
        }
    }

    @Test func headerCompressionFromServersIsUnderstood() throws {
        // A server may send type-1/2/3 headers with deltas: build them by hand.
        let decoder = EmbeddedChannel(handler: ByteToMessageHandler(RTMPChunkDecoder()))
        var b = ByteBuffer()
        b.writeInteger(UInt8(3))
        b.writeRepeatingByte(0, count: 3072)
        // fmt 0 on csid 3: ts 1000, len 2, type 20, stream 0
        b.writeBytes([0x03, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x02, 20, 0, 0, 0, 0, 0xAA, 0xBB])
        // fmt 2 on csid 3: delta 10, same length/type
        b.writeBytes([0x83, 0x00, 0x00, 0x0A, 0xCC, 0xDD])
        // fmt 3 on csid 3: a new message with the same delta
        b.writeBytes([0xC3, 0xEE, 0xFF])
        try decoder.writeInbound(b)
        var stamps: [UInt32] = []
        while let item = try decoder.readInbound(as: RTMPInbound.self) {
            if case .message(let m) = item { stamps.append(m.timestamp); #expect(m.payload.readableBytes == 2) }
        }
        #expect(stamps == [1000, 1010, 1020])
    }

    @Test func notRTMPIsAClearError() throws {
        let decoder = EmbeddedChannel(handler: ByteToMessageHandler(RTMPChunkDecoder()))
        var b = ByteBuffer()
        b.writeString("HTTP/1.1 400 Bad Request\r\n")
        b.writeRepeatingByte(0x20, count: 3100)
        #expect(throws: RTMPProtocolError.self) { try decoder.writeInbound(b) }
    }
}

@Suite struct QueueTests {
    func video(_ ts: UInt32, key: Bool = false) -> StreamPacket { StreamPacket(kind: .video, timestamp: ts, isKeyframe: key, data: Data([1])) }
    func audio(_ ts: UInt32) -> StreamPacket { StreamPacket(kind: .audio, timestamp: ts, isKeyframe: true, data: Data([2])) }

    @Test func startsAtAKeyframeAndDropsTheBacklogWhenFull() async {
        let q = PacketQueue(capacityMs: 1_000)
        q.push(video(0, key: true))
        #expect(q.depthMs == 0, "not accepting before a session publishes")
        q.start()
        q.push(audio(0)); q.push(video(33)) // before the keyframe: not sent, not counted
        q.push(video(66, key: true)); q.push(audio(70)); q.push(video(100))
        #expect(q.counts.droppedVideo == 0 && q.counts.droppedAudio == 0)
        #expect(await q.next()?.timestamp == 66)
        #expect(await q.next()?.timestamp == 70)
        // A reader that stops reading: more than a second piles up, then it is all dropped.
        for t in stride(from: UInt32(133), through: 1_300, by: 33) { q.push(video(t)) }
        #expect(q.counts.overflows == 1)
        #expect(q.counts.droppedVideo > 30)
        q.push(video(1_333)) // still waiting for a keyframe: dropped and counted
        q.push(video(1_366, key: true))
        #expect(await q.next()?.timestamp == 1_366)
    }

    /// Audio and video interleave a few milliseconds out of order: a packet older than the
    /// oldest queued one is not a backlog of four billion milliseconds, and the clock may wrap.
    @Test func anOlderPacketOrAWrappedClockIsNoOverflow() async throws {
        let q = PacketQueue(capacityMs: 1_000)
        q.start()
        q.push(video(100, key: true)); q.push(audio(90)); q.push(video(133))
        try #require(q.counts.overflows == 0 && q.counts.droppedAudio == 0)
        #expect(q.depthMs == 33)
        #expect(await q.next()?.timestamp == 100)
        #expect(await q.next()?.timestamp == 90)
        #expect(await q.next()?.timestamp == 133)
        let wrapping = PacketQueue(capacityMs: 1_000)
        wrapping.start()
        wrapping.push(video(UInt32.max - 10, key: true)); wrapping.push(video(22))
        #expect(wrapping.counts.overflows == 0 && wrapping.depthMs == 33)
        wrapping.push(video(1_100))
        #expect(wrapping.counts.overflows == 1, "more than a second across the wrap still overflows")
    }

    /// A destination that never blocks takes packets on the producer's thread, from a keyframe,
    /// with nothing queued; pausing (the session ended) stops it.
    @Test func directDeliveryHandsPacketsOverFromAKeyframe() {
        let q = PacketQueue(capacityMs: 1_000)
        let got = Mutex<[UInt32]>([])
        q.deliverDirectly { p in got.withLock { $0.append(p.timestamp) } }
        q.start()
        q.push(audio(0)); q.push(video(33))
        q.push(video(66, key: true)); q.push(audio(70))
        for t in stride(from: UInt32(100), through: 2_000, by: 33) { q.push(video(t)) }
        #expect(got.withLock { $0.prefix(2) } == [66, 70] && got.withLock { $0.count } == 60)
        #expect(q.depthMs == 0 && q.counts.overflows == 0, "nothing waits in the queue")
        q.pause()
        q.start()
        q.push(video(2_100, key: true))
        #expect(got.withLock { $0.count } == 60 && q.depthMs == 0, "after a pause the sink is gone: packets queue again")
    }

    @Test func closeEndsTheReaderAndCancelWakesIt() async {
        let q = PacketQueue()
        q.start()
        q.push(video(0, key: true))
        q.close()
        #expect(await q.next()?.timestamp == 0)
        #expect(await q.next() == nil)
        let idle = PacketQueue()
        idle.start()
        let task = Task { await idle.next() }
        try? await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(await task.value == nil)
    }

    @Test func backoffGrowsToTheCapWithJitter() {
        var b = Backoff()
        let delays = (0..<12).map { _ in b.next() }
        #expect(delays[0] >= 0.5 * 0.85 && delays[0] <= 0.5 * 1.15)
        #expect(delays[3] >= 4 * 0.85 && delays[3] <= 4 * 1.15)
        #expect(delays.allSatisfy { $0 <= 30 } && delays.last! >= 25)
        b.reset()
        #expect(b.next() <= 0.575)
    }
}

@Suite struct FLVTests {
    @Test func videoAndAudioTagHeaders() {
        let key = FLV.videoFrame(Data([0, 0, 0, 1, 0x65]), keyframe: true)
        #expect(Array(key.readableBytesView.prefix(5)) == [0x17, 0x01, 0, 0, 0])
        let inter = FLV.videoFrame(Data([0, 0, 0, 1, 0x41]), keyframe: false)
        #expect(inter.readableBytesView.first == 0x27)
        #expect(Array(FLV.videoSequenceHeader(Data([1, 0x64])).readableBytesView.prefix(2)) == [0x17, 0x00])
        #expect(Array(FLV.audioSequenceHeader(Data([0x11, 0x88])).readableBytesView) == [0xAF, 0x00, 0x11, 0x88])
        #expect(Array(FLV.audioFrame(Data([9])).readableBytesView) == [0xAF, 0x01, 9])
        let meta = try? AMF0.decodeAll(FLV.metadata(.init(width: 1280, height: 720, fps: 30, videoKbps: 2500, audioKbps: 128)))
        #expect(meta?[1].stringValue == "onMetaData" && meta?[2]["width"]?.numberValue == 1280 && meta?[2]["videocodecid"]?.numberValue == 7)
    }

    /// Enhanced RTMP audio: SoundFormat 9 (ExHeader) with the packet type in the low bits, then the FourCC.
    @Test func opusGoesInAnExAudioTagHeader() throws {
        let opusHead = Data("OpusHead".utf8) + Data([1, 1, 0x38, 0x01, 0x80, 0xBB, 0, 0, 0, 0, 0])
        #expect(Array(FLV.audioSequenceHeader(opusHead, codec: .opus).readableBytesView) == [0x90] + Array("Opus".utf8) + Array(opusHead))
        #expect(Array(FLV.audioFrame(Data([0xFC, 1, 2]), codec: .opus).readableBytesView) == [0x91, 0x4F, 0x70, 0x75, 0x73, 0xFC, 1, 2])
        let meta = try AMF0.decodeAll(FLV.metadata(.init(width: 320, height: 180, fps: 30, videoKbps: 500, audioKbps: 64, audioCodec: .opus)))
        #expect(meta[2]["audiocodecid"]?.numberValue == Double(0x4F70_7573))
        // The encoder's extradata is the OpusHead the sequence start carries.
        let encoder = try AudioEncoder(codec: .opus, bitrate: 64_000)
        #expect(encoder.extradata.prefix(8) == Data("OpusHead".utf8) && encoder.extradata.count == 19)
    }

    /// Enhanced RTMP video: IsExHeader, the frame type, the packet type (SequenceStart, CodedFramesX), then `hvc1`.
    @Test func hevcGoesInAnExVideoTagHeader() throws {
        let record = Data([1, 2, 3])
        #expect(Array(FLV.videoSequenceHeader(record, codec: .hevc).readableBytesView) == [0x90] + Array("hvc1".utf8) + [1, 2, 3])
        #expect(Array(FLV.videoFrame(Data([0, 0, 0, 1, 0x26]), keyframe: true, codec: .hevc).readableBytesView) == [0x93] + Array("hvc1".utf8) + [0, 0, 0, 1, 0x26])
        #expect(Array(FLV.videoFrame(Data([7]), keyframe: false, codec: .hevc).readableBytesView).prefix(1) == [0xA3])
        let m = FLV.Metadata(width: 320, height: 180, fps: 30, videoKbps: 500, audioKbps: 64, audioCodec: .opus, videoCodec: .hevc)
        #expect(m.fourCCs == ["hvc1", "Opus"])
        #expect(try AMF0.decodeAll(FLV.metadata(m))[2]["videocodecid"]?.numberValue == Double(0x6876_6331))
        #expect(FLV.Metadata(width: 1, height: 1, fps: 1, videoKbps: 1, audioKbps: 1).fourCCs.isEmpty, "classic RTMP announces none")
    }
}

@Suite struct RTMPStatusTests {
    @Test func codesMapToWhatThePublisherDoes() {
        #expect(RTMPStatus(code: "NetStream.Publish.Start") == .publishStart)
        #expect(RTMPStatus(code: "NetStream.Publish.BadName") == .publishBadName)
        #expect(RTMPStatus(code: "NetConnection.Connect.Rejected") == .rejected("NetConnection.Connect.Rejected"))
        #expect(RTMPStatus(code: "NetStream.Publish.Failed") == .failed("NetStream.Publish.Failed"))
        #expect(RTMPStatus(code: "NetStream.Play.Reset") == .other("NetStream.Play.Reset"))
        #expect(RTMPStatus(code: "NetConnection.Connect.Rejected").refuses && RTMPStatus(code: "NetStream.Publish.BadName").refuses)
        #expect(!RTMPStatus(code: "NetStream.Publish.Start").refuses && !RTMPStatus(code: "NetStream.Play.Reset").refuses)
        for code in ["NetStream.Publish.Start", "NetStream.Publish.BadName", "NetStream.Publish.Failed", "X.Y"] {
            #expect(RTMPStatus(code: code).code == code)
        }
        // The code is found in an onStatus reply's info object.
        let reply: [AMF0] = [.string("onStatus"), .number(0), .null, .object([("level", .string("error")), ("code", .string("NetStream.Publish.BadName"))])]
        #expect(RTMPSession.status(reply) == .publishBadName)
    }
}

/// A whole RTMP session on NIO's async testing channel (no socket): the test plays the server —
/// reads what the publisher writes through the real chunk codec and answers each step.
@Suite(.timeLimit(.minutes(1))) struct RTMPSessionTests {
    /// The server's side: decodes the client's chunks, encodes its own replies.
    final class FakeServer {
        let channel: NIOAsyncTestingChannel
        let decoder = EmbeddedChannel(handler: ByteToMessageHandler(RTMPChunkDecoder()))
        let encoder = EmbeddedChannel(handler: MessageToByteHandler(RTMPChunkEncoder()))
        var seen: [RTMPMessage] = []

        init(_ channel: NIOAsyncTestingChannel) throws {
            self.channel = channel
            // The decoder is the client's: it expects a handshake before chunks.
            var handshake = ByteBuffer()
            handshake.writeInteger(UInt8(3))
            handshake.writeRepeatingByte(0, count: 3072)
            try decoder.writeInbound(handshake)
            _ = try decoder.readInbound(as: RTMPInbound.self)
        }

        func handshake() async throws {
            let c0c1 = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
            #expect(c0c1.readableBytes == 1537 && c0c1.getInteger(at: 0, as: UInt8.self) == 3)
            var s = ByteBuffer()
            s.writeInteger(UInt8(3))
            s.writeRepeatingByte(7, count: 3072)
            try await channel.writeInbound(s)
            let c2 = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
            #expect(c2.readableBytes == 1536, "C2 echoes S1")
        }

        /// Reads the client's messages until `match` is one of them.
        func waitFor(_ match: (RTMPMessage, [AMF0]) -> Bool) async throws -> [AMF0] {
            while true {
                while let item = try decoder.readInbound(as: RTMPInbound.self) {
                    guard case .message(let m) = item else { continue }
                    seen.append(m)
                    let values = m.kind == .commandAMF0 ? (try? AMF0.decodeAll(m.payload)) ?? [] : []
                    if match(m, values) { return values }
                }
                try decoder.writeInbound(try await channel.waitForOutboundWrite(as: ByteBuffer.self))
            }
        }

        func command(_ name: String) async throws -> [AMF0] {
            try await waitFor { _, v in v.first?.stringValue == name }
        }

        func reply(_ m: RTMPMessage) async throws {
            try encoder.writeOutbound(RTMPOutbound.message(m))
            while let b = try encoder.readOutbound(as: ByteBuffer.self) { try await channel.writeInbound(b) }
        }
    }

    final class Count: Sendable { let value = Atomic<Int>(0) }

    static func start(publishCode: String, queue: PacketQueue) async throws -> (FakeServer, Task<Void, Error>, Count) {
        let channel = NIOAsyncTestingChannel()
        try await channel.pipeline.addHandler(ByteToMessageHandler(RTMPChunkDecoder()))
        try await channel.pipeline.addHandler(MessageToByteHandler(RTMPChunkEncoder()))
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1935))
        let wrapped = try await channel.testingEventLoop.executeInContext {
            try NIOAsyncChannel<RTMPInbound, RTMPOutbound>(wrappingChannelSynchronously: channel)
        }
        let url = try StreamURL("rtmp://127.0.0.1/live/sk_session_test")
        let settings = PublishSettings(metadata: FLV.Metadata(width: 320, height: 180, fps: 30, videoKbps: 500, audioKbps: 128),
                                       videoConfig: Data([1, 0x64, 0, 0x1f, 0xff, 0xe0, 0, 0]), audioConfig: Data([0x11, 0x90]))
        let publishing = Count()
        let task = Task {
            try await RTMPSession.session(wrapped, url: url, settings: settings, queue: queue, onPublishing: {
                // As a Destination does: the queue takes packets once the session publishes.
                queue.start()
                publishing.value.add(1, ordering: .relaxed)
            },
                                          onSent: { _ in })
        }
        let server = try FakeServer(channel)
        try await server.handshake()
        let connect = try await server.command("connect")
        #expect(connect[1].numberValue == 1 && connect[2]["app"]?.stringValue == "live")
        try await server.reply(.command("_result", transaction: 1, [.null, .object([("code", .string("NetConnection.Connect.Success"))])]))
        let create = try await server.command("createStream")
        try await server.reply(.command("_result", transaction: create[1].numberValue ?? 0, [.null, .number(1)]))
        let publish = try await server.command("publish")
        #expect(publish[3].stringValue == "sk_session_test" && publish[4].stringValue == "live")
        try await server.reply(RTMPMessage(.commandAMF0, streamID: 1, payload: AMF0.encode([.string("onStatus"), .number(0), .null,
                                                                                            .object([("level", .string("status")), ("code", .string(publishCode))])])))
        return (server, task, publishing)
    }

    @Test func aSessionPublishesMediaAndEndsWithDeleteStream() async throws {
        let queue = PacketQueue()
        let (server, task, publishing) = try await Self.start(publishCode: "NetStream.Publish.Start", queue: queue)
        // Media once publishing: the metadata and sequence headers first, then the packets.
        while publishing.value.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        queue.push(StreamPacket(kind: .video, timestamp: 0, isKeyframe: true, data: Data([0, 0, 0, 1, 0x65])))
        queue.push(StreamPacket(kind: .audio, timestamp: 10, isKeyframe: true, data: Data([0x21, 0x10])))
        queue.push(StreamPacket(kind: .video, timestamp: 33, isKeyframe: false, data: Data([0, 0, 0, 1, 0x41])))
        queue.close()
        _ = try await server.command("deleteStream")
        try await task.value
        #expect(server.seen.contains { $0.kind == .dataAMF0 }, "the metadata")
        let media = server.seen.filter { $0.kind == .video || $0.kind == .audio }
        // Two sequence headers, then the three packets in order, on the stream the server gave.
        #expect(media.count == 5 && media.allSatisfy { $0.streamID == 1 }, "\(media.map(\.kind))")
        #expect(media.map(\.timestamp) == [0, 0, 0, 10, 33])
        #expect(server.seen.contains { m in m.kind == .commandAMF0 && (try? AMF0.decodeAll(m.payload))?.first?.stringValue == "FCUnpublish" })
    }

    @Test func aKeyAlreadyPublishingIsBusyNotARefusal() async throws {
        let queue = PacketQueue()
        let (_, task, publishing) = try await Self.start(publishCode: "NetStream.Publish.BadName", queue: queue)
        do {
            try await task.value
            Issue.record("the session went on after BadName")
        } catch let e as PublishError {
            guard case .busy(let why) = e else { Issue.record("\(e)"); return }
            #expect(why.contains("already publishing") && !why.contains("sk_session_test"), "\(why)")
        }
        #expect(publishing.value.load(ordering: .relaxed) == 0)
    }
}
