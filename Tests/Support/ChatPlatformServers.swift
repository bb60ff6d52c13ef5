import Foundation

/// Stand-ins for platform chat services on 127.0.0.1, written in Python from the platforms'
/// documentation (Tests/Fixtures/youtube-api.py, bilibili-danmaku.py): anchor's connectors
/// talk to them over real HTTP and WebSocket, and every request they get is logged for the
/// test to check.
public final class ChatPlatformServer: @unchecked Sendable {
    public let port: Int
    private let directory: URL
    private let process: BackgroundRun

    /// The YouTube Data API answering `liveChat/messages` with `steps` ("200:page2.json[:TOKEN]").
    public static func youTube(steps: [String]) throws -> ChatPlatformServer {
        try ChatPlatformServer(script: "youtube-api.py", python: "python3", extra: steps)
    }

    /// Bilibili's room API and danmaku WebSocket (room 7 → 1007), with Debian's python3-websockets;
    /// `mute`: silent after the login, heartbeats unanswered; `beats`: the first connection
    /// closes after that many heartbeats (else 1.5 s after its last frame).
    public static func bilibili(mute: Bool = false, beats: Int = 0) throws -> ChatPlatformServer {
        try ChatPlatformServer(script: "bilibili-danmaku.py", python: "/usr/bin/python3",
                               extra: mute ? ["mute"] : beats > 0 ? ["beats=\(beats)"] : [])
    }

    private init(script: String, python: String, extra: [String]) throws {
        port = try TestSupport.freePort()
        directory = try TestSupport.temporaryDirectory()
        let log = directory.appendingPathComponent("requests.jsonl")
        process = try TestSupport.launchTool(python, [TestSupport.path("Tests/Fixtures/\(script)"), "\(port)", log.path] + extra)
        let probe = "import socket, time\nfor _ in range(100):\n    try:\n        socket.create_connection(('127.0.0.1', \(port))).close(); break\n    except OSError:\n        time.sleep(0.05)"
        _ = try TestSupport.tool("python3", ["-c", probe])
    }

    private var log: URL { directory.appendingPathComponent("requests.jsonl") }

    /// Every request or packet the server got, oldest first.
    public var requests: [[String: Any]] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    deinit {
        process.signal(SIGKILL)
        _ = process.wait(timeout: 10)
        TestSupport.cleanUp(directory)
    }
}
