import Foundation

/// A real IRC server (ngIRCd from Debian) on 127.0.0.1 and a free port, for the chat connector
/// tests, and a viewer who joins a channel and talks (a few lines of Python).
public final class IRCServer: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    private var process: BackgroundRun?

    public init() throws {
        port = try TestSupport.freePort()
        directory = try TestSupport.temporaryDirectory()
        try """
        [Global]
        Name = irc.anchor.test
        Info = anchor test
        Listen = 127.0.0.1
        Ports = \(port)
        PidFile = \(directory.path)/ngircd.pid
        MotdPhrase = test
        [Options]
        PAM = no
        Ident = no
        DNS = no
        """.write(to: directory.appendingPathComponent("ngircd.conf"), atomically: true, encoding: .utf8)
        try start()
    }

    /// Starts the server and waits until it accepts connections.
    public func start() throws {
        process = try TestSupport.launchTool("ngircd", ["-n", "-f", directory.appendingPathComponent("ngircd.conf").path])
        let probe = "import socket, time\nfor _ in range(100):\n    try:\n        socket.create_connection(('127.0.0.1', \(port))).close(); break\n    except OSError:\n        time.sleep(0.05)"
        _ = try TestSupport.tool("python3", ["-c", probe])
    }

    /// Kills the server at once (a crash: connections reset).
    public func kill() {
        process?.signal(SIGKILL)
        _ = process?.wait(timeout: 10)
        process = nil
    }

    deinit {
        kill()
        TestSupport.cleanUp(directory)
    }

    /// A viewer named `nick` joins `channel` and says each line, a third of a second apart.
    public func say(_ lines: [String], as nick: String = "viewer", in channel: String = "#night") throws {
        let script = """
        import socket, time, sys
        s = socket.create_connection(("127.0.0.1", \(port)))
        s.sendall(b"NICK \(nick)\\r\\nUSER \(nick) 0 * :v\\r\\n"); time.sleep(0.5)
        s.sendall(b"JOIN \(channel)\\r\\n"); time.sleep(0.5)
        for line in sys.argv[1:]:
            s.sendall(("PRIVMSG \(channel) :" + line + "\\r\\n").encode()); time.sleep(0.3)
        s.sendall(b"QUIT\\r\\n"); time.sleep(0.3)
        """
        let run = try TestSupport.tool("python3", ["-c", script] + lines)
        guard run.status == 0 else { throw NginxRTMP.ServerFailed(description: "IRC viewer: \(run.stderr)") }
    }
}
