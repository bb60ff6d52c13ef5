import AnchorCommandLine
import AnchorEngine
import ArgumentParser
import Foundation

/// nginx with the RTMP module relaying (not recording) on a free port of 127.0.0.1.
final class BenchNginx {
    let port: Int
    private let process = Process()

    init(folder: String) throws {
        let module = "/usr/lib/nginx/modules/ngx_rtmp_module.so"
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx"), FileManager.default.fileExists(atPath: module) else {
            throw ValidationError("needs nginx with the RTMP module (/usr/sbin/nginx, \(module)): run scripts/setup.sh --no-build")
        }
        port = try LiveBench.freePort()
        let conf = """
        load_module \(module);
        daemon off;
        master_process off;
        pid \(folder)/nginx.pid;
        error_log \(folder)/nginx-error.log warn;
        events { worker_connections 1024; }
        rtmp { server { listen 127.0.0.1:\(port); chunk_size 4096; application live { live on; record off; } } }
        """
        try conf.write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-c", folder + "/nginx.conf", "-e", folder + "/nginx-error.log"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        guard process.isRunning else { throw ValidationError("nginx did not start: see \(folder)/nginx-error.log") }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
