import Foundation

/// A real nginx with the RTMP module on 127.0.0.1 and a free port, recording to FLV; for the
/// live tests. One process (`master_process off`), so a kill -9 takes the server down at once.
public final class NginxRTMP: @unchecked Sendable {
    public let port: Int
    /// rtmps:// here: TLS with a self-signed certificate for 127.0.0.1 (`certificate`).
    public let tlsPort: Int
    public let directory: URL
    public var certificate: String { directory.appendingPathComponent("cert.pem").path }
    private var process: Process?

    public var recordings: [URL] {
        let dir = directory.appendingPathComponent("rec")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".flv") }.sorted().map { dir.appendingPathComponent($0) }
    }

    public init() throws {
        port = try TestSupport.freePort()
        tlsPort = try TestSupport.freePort()
        directory = try TestSupport.temporaryDirectory()
        let cert = try TestSupport.tool("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                                                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                                    "-keyout", directory.appendingPathComponent("key.pem").path, "-out", certificate])
        guard cert.status == 0 else { throw ServerFailed(description: "openssl: \(cert.stderr)") }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("rec"), withIntermediateDirectories: true)
        let template = try String(contentsOfFile: TestSupport.path("Tests/Fixtures/nginx-rtmp.conf"), encoding: .utf8)
        try template.replacingOccurrences(of: "{{PORT}}", with: "\(port)").replacingOccurrences(of: "{{TLS_PORT}}", with: "\(tlsPort)").replacingOccurrences(of: "{{DIR}}", with: directory.path)
            .write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        try start()
    }

    /// Starts the server and waits until it accepts connections.
    public func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        p.arguments = ["-c", directory.appendingPathComponent("nginx.conf").path, "-e", directory.appendingPathComponent("error.log").path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if TestSupport.canConnect(port: port) { return }
            if !p.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        throw ServerFailed(description: "nginx did not start on port \(port): \(log.suffix(500))")
    }

    /// Kills the server as a crash would (SIGKILL).
    public func kill() {
        guard let p = process, p.isRunning else { return }
        Foundation.kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    /// Sends a signal (SIGSTOP freezes the server with its sockets open; SIGCONT thaws it).
    public func signal(_ sig: Int32) {
        if let p = process, p.isRunning { Foundation.kill(p.processIdentifier, sig) }
    }

    public func stop() {
        signal(SIGCONT)
        kill()
        TestSupport.cleanUp(directory)
    }

    deinit { if let p = process, p.isRunning { Foundation.kill(p.processIdentifier, SIGKILL) } }

    public struct ServerFailed: Error, CustomStringConvertible { public let description: String }
}

extension TestSupport {
    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    public static func freePort() throws -> Int {
        let (port, fd) = try boundSocket(listening: false)
        close(fd)
        return port
    }

    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = loopback(port: port)
        return withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A socket on 127.0.0.1 that listens and never accepts or reads: the kernel completes
    /// connections, then every byte sent to it piles up. Returns the port and the descriptor.
    public static func blackHole() throws -> (port: Int, fd: Int32) {
        try boundSocket(listening: true)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return addr
    }

    /// A TCP socket bound to a free port on 127.0.0.1 (and listening, if asked).
    private static func boundSocket(listening: Bool) throws -> (port: Int, fd: Int32) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = loopback(port: 0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && (!listening || listen(fd, 8) == 0) && getsockname(fd, $0, &len) == 0
            }
        }
        guard ok else { close(fd); throw NginxRTMP.ServerFailed(description: "cannot bind a socket on 127.0.0.1") }
        return (Int(UInt16(bigEndian: addr.sin_port)), fd)
    }
}
