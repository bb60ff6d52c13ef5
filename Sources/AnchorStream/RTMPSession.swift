import AnchorMedia
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One RTMP publishing session over one TCP (or TLS) connection: handshake, `connect`,
/// `releaseStream`, `FCPublish`, `createStream`, `publish`, `@setDataFrame`, sequence
/// headers, then media from the queue until it ends, the queue closes, or the link fails.
enum RTMPSession {
    enum Role: Sendable { case reader, watchdog, publisher }

    static let sendBufferBytes: SocketOptionValue = 384 * 1024

    /// Runs a session; returns normally after a clean unpublish (the queue was closed).
    static func run(url: StreamURL, group: EventLoopGroup, tls: NIOSSLContext?, settings: PublishSettings, queue: PacketQueue,
                    onPublishing: @escaping @Sendable () -> Void, onSent: @escaping @Sendable (StreamPacket) -> Void) async throws(PublishError) {
        let channel: NIOAsyncChannel<RTMPInbound, RTMPOutbound>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.nanoseconds(SessionMonitor.nanos(settings.connectTimeout)))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                // A fixed send buffer instead of Linux's autotuning (up to 4 MB): an ingest that
                // reads slowly fills it within seconds and shows in the queue, instead of ~45 s of
                // media disappearing into the kernel while the status says all is well. 384 KiB
                // still covers 8 Mb/s at a 300 ms round trip.
                .channelOption(.socketOption(.so_sndbuf), value: Self.sendBufferBytes)
                .connect(host: url.host, port: url.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            // SNI takes names only; an IP address is checked against the certificate's IP entries.
                            let isIP = url.host.contains(":") || url.host.allSatisfy { $0.isNumber || $0 == "." }
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: isIP ? nil : url.host))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RTMPChunkDecoder()))
                        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(RTMPChunkEncoder()))
                        return try NIOAsyncChannel<RTMPInbound, RTMPOutbound>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .unreachable("cannot connect to \(url.host):\(url.port): \(describe(error))")
        }
        try await session(channel, url: url, settings: settings, queue: queue, onPublishing: onPublishing, onSent: onSent)
    }

    /// One session over a connected channel (TLS and the chunk codec in its pipeline): the
    /// handshake, connect, createStream, publish, media until the queue closes, unpublish.
    static func session(_ channel: NIOAsyncChannel<RTMPInbound, RTMPOutbound>, url: StreamURL, settings: PublishSettings, queue: PacketQueue,
                        onPublishing: @escaping @Sendable () -> Void, onSent: @escaping @Sendable (StreamPacket) -> Void) async throws(PublishError) {
        let monitor = SessionMonitor()
        do {
            try await channel.executeThenClose { inbound, outbound in
                let (responses, responder) = AsyncStream<RTMPInbound>.makeStream()
                try await withThrowingTaskGroup(of: Role.self) { group in
                    // Reader: answers pings, records acknowledgements, forwards the rest.
                    group.addTask {
                        defer { responder.finish() }
                        for try await item in inbound {
                            if case .message(let m) = item {
                                switch m.kind {
                                case .acknowledgement:
                                    var p = m.payload
                                    if let n = p.readInteger(as: UInt32.self) {
                                        monitor.bytesAcked.store(Int64(n), ordering: .relaxed)
                                        monitor.lastAckNanos.store(monitor.now(), ordering: .relaxed)
                                    }
                                    continue
                                case .userControl:
                                    var p = m.payload
                                    if p.readInteger(as: UInt16.self) == 6, let t = p.readInteger(as: UInt32.self) {
                                        try await outbound.write(.message(.pingResponse(t)))
                                    }
                                    continue
                                case .setChunkSize, .windowAckSize, .setPeerBandwidth, .abort:
                                    continue
                                default: break
                                }
                            }
                            responder.yield(item)
                        }
                        // While setting up, the publisher names the step that was cut off.
                        if monitor.publishing.load(ordering: .relaxed) {
                            throw PublishError.lost("\(url.host):\(url.port) closed the connection")
                        }
                        return .reader
                    }
                    // Watchdog: a step unanswered, a write stuck, or acknowledgements stopped.
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: .milliseconds(250))
                            let now = monitor.now()
                            let deadline = monitor.deadlineNanos.load(ordering: .relaxed)
                            let writeStart = monitor.writeStartedNanos.load(ordering: .relaxed)
                            let acked = monitor.bytesAcked.load(ordering: .relaxed)
                            let unacked = monitor.bytesSent.load(ordering: .relaxed) - max(0, acked)
                            let silentFor = now - monitor.lastAckNanos.load(ordering: .relaxed)
                            var reason: String?
                            if deadline > 0, now > deadline { reason = "no answer from the server in time" }
                            if writeStart > 0, now - writeStart > SessionMonitor.nanos(settings.stallTimeout) {
                                reason = "the server stopped reading for \(settings.stallTimeout)"
                            }
                            if acked >= 0, unacked > Int64(settings.ackWindow) + 4_096, silentFor > SessionMonitor.nanos(settings.ackTimeout) {
                                reason = "no acknowledgement from the server for \(settings.ackTimeout) (half-open connection)"
                            }
                            if let reason { throw PublishError.lost(reason) }
                        }
                        return .watchdog
                    }
                    group.addTask {
                        var responses = responses.makeAsyncIterator()
                        try await publish(url: url, settings: settings, outbound: outbound, responses: &responses, monitor: monitor,
                                          queue: queue, onPublishing: onPublishing, onSent: onSent)
                        return .publisher
                    }
                    // Any failure ends the session; only the publisher finishing ends it cleanly.
                    defer { group.cancelAll() }
                    while let done = try await group.next(), done != .publisher {}
                }
            }
        } catch let e as PublishError {
            throw e
        } catch let e as NIOSSLError {
            throw .tls("TLS with \(url.host) failed: \(e)")
        } catch {
            throw .lost("the connection to \(url.host):\(url.port) broke: \(describe(error))")
        }
    }

    private static func publish(url: StreamURL, settings: PublishSettings, outbound: NIOAsyncChannelOutboundWriter<RTMPOutbound>,
                                responses: inout AsyncStream<RTMPInbound>.Iterator, monitor: SessionMonitor, queue: PacketQueue,
                                onPublishing: @Sendable () -> Void, onSent: @Sendable (StreamPacket) -> Void) async throws {
        func expect(_ step: String) {
            monitor.deadlineNanos.store(monitor.now() + SessionMonitor.nanos(settings.responseTimeout), ordering: .relaxed)
        }
        func answered() { monitor.deadlineNanos.store(0, ordering: .relaxed) }
        func write(_ m: RTMPMessage) async throws {
            monitor.writeStartedNanos.store(monitor.now(), ordering: .relaxed)
            try await outbound.write(.message(m))
            monitor.writeStartedNanos.store(0, ordering: .relaxed)
            monitor.bytesSent.add(Int64(m.payload.readableBytes + 12), ordering: .relaxed)
        }
        /// Waits for the `_result`/`_error` of a transaction, or an `onStatus`.
        func response(to step: String, transaction: Double?) async throws -> [AMF0] {
            expect(step)
            while let item = await responses.next() {
                guard case .message(let m) = item, m.kind == .commandAMF0, let values = try? AMF0.decodeAll(m.payload),
                      let name = values.first?.stringValue else { continue }
                if let transaction, name == "_result" || name == "_error", values.count > 1, values[1].numberValue == transaction {
                    answered()
                    return values
                }
                if transaction == nil, name == "onStatus" { answered(); return values }
                if name == "_error" || name == "onStatus", let status = status(values), status.refuses, status != .publishBadName {
                    throw PublishError.rejected("\(url.redacted) refused '\(step)': \(status.code)")
                }
            }
            throw PublishError.lost("\(url.host):\(url.port) closed the connection during '\(step)'"
                                    + (step == "connect" ? " (is '\(url.app)' an application on that server?)" : ""))
        }

        // Handshake: C0 + C1, then C2 echoing S1.
        var c0c1 = ByteBuffer()
        c0c1.writeInteger(UInt8(3))
        c0c1.writeInteger(UInt32(0))
        c0c1.writeInteger(UInt32(0))
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<(1528 / 8) { c0c1.writeInteger(rng.next() as UInt64) }
        expect("handshake")
        try await outbound.write(.raw(c0c1))
        guard case .handshake(let s1)? = await responses.next() else {
            throw PublishError.lost("\(url.host):\(url.port) closed the connection during the RTMP handshake")
        }
        answered()
        try await outbound.write(.raw(s1))

        try await write(.control(.setChunkSize, 4096))
        try await write(.control(.windowAckSize, settings.ackWindow))
        var properties: [(String, AMF0)] = [
            ("app", .string(url.app)), ("type", .string("nonprivate")), ("flashVer", .string("FMLE/3.0 (compatible; anchor)")),
            ("tcUrl", .string(url.tcURL)),
        ]
        // Enhanced RTMP: the codecs sent that classic RTMP has no id for.
        let fourCCs = settings.metadata.fourCCs
        if !fourCCs.isEmpty { properties.append(("fourCcList", .strictArray(fourCCs.map { .string($0) }))) }
        try await write(.command("connect", transaction: 1, [.object(properties)]))
        let connected = try await response(to: "connect", transaction: 1)
        if connected.first?.stringValue == "_error" {
            throw PublishError.rejected("\(url.redacted) refused 'connect': \(status(connected)?.code ?? "no reason given")")
        }
        try await write(.command("releaseStream", transaction: 2, [.null, .string(url.streamName)]))
        try await write(.command("FCPublish", transaction: 3, [.null, .string(url.streamName)]))
        try await write(.command("createStream", transaction: 4, [.null]))
        var created = try await response(to: "createStream", transaction: 4)
        // Some servers answer releaseStream/FCPublish first; skip to createStream's result.
        while created.count > 1, created[1].numberValue != 4 { created = try await response(to: "createStream", transaction: 4) }
        guard created.first?.stringValue == "_result", let id = created.last?.numberValue else {
            throw PublishError.rejected("\(url.redacted) refused 'createStream': \(status(created)?.code ?? "no stream id")")
        }
        let streamID = UInt32(id)
        try await write(.command("publish", transaction: 5, [.null, .string(url.streamName), .string("live")], streamID: streamID, chunkStreamID: 8))
        let published = try await response(to: "publish", transaction: nil)
        let code = status(published) ?? .other("")
        guard code == .publishStart else {
            let text = description(published) ?? code.code
            if code == .publishBadName || text.lowercased().contains("already") {
                throw PublishError.busy("\(url.redacted): the stream key is already publishing (\(text))")
            }
            throw PublishError.rejected("\(url.redacted) refused 'publish': \(text)")
        }
        monitor.publishing.store(true, ordering: .relaxed)
        onPublishing()

        // Media: sequence headers at the first keyframe's time, then everything queued.
        var sentHeaders = false
        while let p = await queue.next() {
            if !sentHeaders {
                try await write(RTMPMessage(.dataAMF0, streamID: streamID, timestamp: p.timestamp, payload: FLV.metadata(settings.metadata)))
                try await write(RTMPMessage(.video, streamID: streamID, timestamp: p.timestamp, payload: FLV.videoSequenceHeader(settings.videoConfig, codec: settings.videoCodec)))
                try await write(RTMPMessage(.audio, streamID: streamID, timestamp: p.timestamp, payload: FLV.audioSequenceHeader(settings.audioConfig, codec: settings.audioCodec)))
                sentHeaders = true
            }
            let payload = p.kind == .video ? FLV.videoFrame(p.data, keyframe: p.isKeyframe, codec: settings.videoCodec)
                : FLV.audioFrame(p.data, codec: settings.audioCodec)
            try await write(RTMPMessage(p.kind == .video ? .video : .audio, streamID: streamID, timestamp: p.timestamp, payload: payload))
            onSent(p)
        }
        try Task.checkCancellation()
        // The queue closed: end the stream the way encoders do.
        try await write(.command("FCUnpublish", transaction: 6, [.null, .string(url.streamName)]))
        try await write(.command("deleteStream", transaction: 7, [.null, .number(Double(streamID))]))
    }

    static func status(_ values: [AMF0]) -> RTMPStatus? {
        values.lazy.compactMap { $0["code"]?.stringValue }.first.map(RTMPStatus.init(code:))
    }

    static func description(_ values: [AMF0]) -> String? {
        values.lazy.compactMap { v -> String? in
            guard let code = v["code"]?.stringValue else { return nil }
            let d = v["description"]?.stringValue ?? ""
            return d.isEmpty ? code : "\(code): \(d)"
        }.first
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? IOError { return String(cString: strerror(e.errnoCode)).lowercased() }
        if let e = error as? NIOConnectionError {
            if let first = e.connectionErrors.first { return describe(first.error) }
            if e.dnsAAAAError != nil || e.dnsAError != nil { return "cannot resolve \(e.host)" }
        }
        if error is ChannelError, case .connectTimeout = error as! ChannelError { return "timed out" }
        return "\(error)"
    }
}
