import Foundation

/// Paths and helpers shared by the test targets.
public enum TestSupport {
    /// The package root (this file is Tests/Support/TestSupport.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func path(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }

    /// `../shared/fixtures/NAME`, beside the checkout (CI puts shared/ there).
    public static func sharedFixture(_ name: String) -> String {
        packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/\(name)").path
    }

    /// A fresh temporary folder, removed by the caller with `cleanUp`.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("anchor-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    public static func cleanUp(_ url: URL) { try? FileManager.default.removeItem(at: url) }

    /// The `anchor` binary built next to the test bundle (or `ANCHOR_BIN`).
    public static var anchorBinary: String {
        if let env = ProcessInfo.processInfo.environment["ANCHOR_BIN"] { return env }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("anchor").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return path(".build/debug/anchor")
    }

    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs the CLI to completion, in `directory`, with extra environment variables.
    public static func anchor(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
        try run(anchorBinary, arguments, in: directory, environment: environment)
    }

    /// Makes a media file with ffmpeg (`arguments` then the output path); throws ffmpeg's
    /// complaint when it fails.
    @discardableResult
    public static func ffmpeg(_ arguments: [String], writing path: String) throws -> String {
        let run = try tool("ffmpeg", ["-v", "error", "-y"] + arguments + [path])
        guard run.status == 0 else { throw ToolFailed(description: "ffmpeg could not make \(path): \(run.stderr)") }
        return path
    }

    /// A clip of one colour with a sine tone, H.264 + AAC, for tests that play clips.
    @discardableResult
    public static func colourClip(_ path: String, colour: String = "red", size: String, seconds: Double, tone: Int) throws -> String {
        try ffmpeg(["-f", "lavfi", "-i", "color=c=\(colour):s=\(size):r=30:d=\(seconds)", "-f", "lavfi", "-i", "sine=frequency=\(tone):duration=\(seconds)",
                    "-c:v", "libx264", "-c:a", "aac", "-shortest"], writing: path)
    }

    public struct ToolFailed: Error, CustomStringConvertible { public var description: String }

    /// Runs a real tool (ffprobe, ffmpeg…) from the PATH, or at an absolute path.
    public static func tool(_ name: String, _ arguments: [String], in directory: URL? = nil) throws -> Run {
        try run(try locate(name), arguments, in: directory, environment: [:])
    }

    /// `tool`, run on a Dispatch thread: a test that blocks one of the cooperative pool's few
    /// threads on a child (curl against an in-process server) can starve the server's handlers.
    public static func toolOffPool(_ name: String, _ arguments: [String]) async throws -> Run {
        try await withCheckedThrowingContinuation { done in
            DispatchQueue.global().async { done.resume(with: Result { try tool(name, arguments) }) }
        }
    }

    /// Where a tool is: an absolute path as given, else the first match on the PATH.
    static func locate(_ name: String) throws -> String {
        let path = name.hasPrefix("/") ? (FileManager.default.isExecutableFile(atPath: name) ? name : nil)
            : (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
                .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { throw ToolMissing(name: name) }
        return path
    }

    public struct ToolMissing: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "\(name) is not installed; run scripts/setup.sh" }
    }

    private static func run(_ executable: String, _ arguments: [String], in directory: URL?, environment: [String: String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "ANCHOR_DB")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var stderrData = Data()
        group.enter()
        DispatchQueue.global().async {
            stderrData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                   stderr: String(decoding: stderrData, as: UTF8.self))
    }
}

/// A process left running while the test goes on (a receiver, a live stream); `wait()`
/// collects its exit status and output.
public final class BackgroundRun: @unchecked Sendable {
    public let process = Process()
    private let group = DispatchGroup()
    private var out = Data(), err = Data()
    public let started = Date()

    public init(_ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? TestSupport.packageRoot
        var env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        env["NO_COLOR"] = "1"
        process.environment = env
        let o = Pipe(), e = Pipe()
        process.standardOutput = o
        process.standardError = e
        process.standardInput = FileHandle.nullDevice
        try process.run()
        group.enter()
        DispatchQueue.global().async { self.out = o.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
        group.enter()
        DispatchQueue.global().async { self.err = e.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
    }

    /// Waits for the process (killing it after `timeout` seconds) and returns what it printed.
    public func wait(timeout: TimeInterval = 120) -> TestSupport.Run {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            let grace = Date().addingTimeInterval(3)
            while process.isRunning, Date() < grace { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        group.wait()
        return TestSupport.Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                               stderr: String(decoding: err, as: UTF8.self))
    }

    public func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }
}

extension TestSupport {
    /// Starts the CLI in the background, with extra environment variables.
    public static func launchAnchor(_ arguments: [String], environment: [String: String] = [:]) throws -> BackgroundRun {
        try BackgroundRun(anchorBinary, arguments, environment: environment)
    }

    /// Starts a tool from the PATH in the background.
    public static func launchTool(_ name: String, _ arguments: [String], in directory: URL? = nil) throws -> BackgroundRun {
        try BackgroundRun(try TestSupport.locate(name), arguments, in: directory)
    }
}
