import ArgumentParser
import Foundation

/// Runs an outside tool (ffmpeg, ffprobe) to the end and keeps what it printed.
public enum Tool {
    public struct Output {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static func run(_ path: String, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        // stderr to a file, stdout to a pipe read to the end: neither can fill up and stall the tool.
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("anchor-tool-\(getpid())-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let err = try FileHandle(forWritingTo: errFile)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ValidationError("cannot run \(path) (\(error)); scripts/setup.sh installs it")
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? err.close()
        let stderr = (try? Data(contentsOf: errFile)) ?? Data()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
