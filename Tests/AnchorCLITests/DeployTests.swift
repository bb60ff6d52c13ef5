import AnchorTestSupport
import Foundation
import Testing

extension HeavyCLITests {
/// The container and Kubernetes manifests in deploy/: valid against Kubernetes' own schemas
/// (offline, kubernetes-validate from PyPI), the image carries every library the binary links,
/// and the station in the ConfigMap airs with the StatefulSet's own arguments, probes and Secret.
@Suite struct DeployTests {
    static let python = TestSupport.path(".build-venv/bin/python")
    static let validator = TestSupport.path(".build-venv/bin/kubernetes-validate")

    @Test func theManifestsAreValidKubernetes() throws {
        let folder = TestSupport.path("deploy/k8s")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == ["configmap.yaml", "secret.yaml", "service.yaml", "statefulset.yaml"])
        let run = try TestSupport.tool(Self.validator, ["--strict", "--no-warn"] + files.map { folder + "/" + $0 })
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.components(separatedBy: "passed").count - 1 == files.count, "\(run.stdout)")

        // The validator does reject a mistake (a misspelt probe field).
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let broken = try String(contentsOfFile: folder + "/statefulset.yaml", encoding: .utf8).replacingOccurrences(of: "path: /readyz", with: "pth: /readyz")
        try broken.write(to: dir.appendingPathComponent("statefulset.yaml"), atomically: true, encoding: .utf8)
        #expect(try TestSupport.tool(Self.validator, ["--strict", dir.appendingPathComponent("statefulset.yaml").path]).status != 0)
    }

    /// Every shared library `anchor` names (readelf NEEDED), outside the Swift runtime (linked
    /// statically in the image), comes from a package the runtime stage installs (or the base image has).
    @Test func theImageInstallsEveryLibraryTheBinaryLinks() throws {
        let dockerfile = try String(contentsOfFile: TestSupport.path("deploy/Dockerfile"), encoding: .utf8)
        let runtime = try #require(dockerfile.components(separatedBy: "FROM debian:12-slim").last)
        let installed = Set(runtime.split(whereSeparator: { $0.isWhitespace || $0 == "\\" }).map(String.init))
        let base: Set<String> = ["libc6", "libgcc-s1", "libstdc++6", "zlib1g"]
        let binary = TestSupport.anchorBinary
        let needed = try TestSupport.tool("readelf", ["-d", binary]).stdout.split(separator: "\n")
            .compactMap { line -> String? in line.contains("(NEEDED)") ? line.split(separator: "[").last?.split(separator: "]").first.map(String.init) : nil }
        #expect(needed.contains("libx264.so.164") && needed.contains("libespeak-ng.so.1"), "\(needed)")
        let ldd = try TestSupport.tool("ldd", [binary]).stdout
        var missing: [String] = []
        for lib in needed where !lib.hasPrefix("libswift") && !["libFoundation.so", "libFoundationEssentials.so", "libFoundationInternationalization.so",
                                                                 "libdispatch.so", "libBlocksRuntime.so", "ld-linux-x86-64.so.2"].contains(lib) {
            let path = ldd.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(lib + " ") }?
                .split(separator: " ").first { $0.hasPrefix("/") }.map(String.init)
            guard let path else { missing.append("\(lib) (not found by ldd)"); continue }
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            // Debian 12 merges /lib into /usr/lib; dpkg knows some files by one name, some by the other.
            let owner = [real, "/usr" + real, real.replacingOccurrences(of: "/usr/lib/", with: "/lib/")].lazy
                .compactMap { p -> String? in
                    guard let r = try? TestSupport.tool("dpkg", ["-S", p]), r.status == 0 else { return nil }
                    return r.stdout.split(separator: ":").first.map(String.init)
                }.first
            guard let owner else { missing.append("\(lib) (no package owns \(real))"); continue }
            if !installed.contains(owner), !base.contains(owner) { missing.append("\(lib) from \(owner)") }
        }
        #expect(missing.isEmpty, "the runtime image lacks: \(missing)")
    }

    @Test func theConfigMapStationAirsWithTheStatefulSetsArgumentsAndProbes() throws {
        let nginx = try NginxRTMP()
        defer { nginx.stop() }
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let shows = dir.appendingPathComponent("etc-anchor"), state = dir.appendingPathComponent("var-lib-anchor")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let read = try TestSupport.tool(Self.python, [TestSupport.path("Tests/Fixtures/k8s-manifests.py"), TestSupport.path("deploy/k8s"), shows.path])
        #expect(read.status == 0, "\(read.stderr)")
        let m = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
        let probes = try #require(m["probes"] as? [String: String])
        #expect(probes == ["livenessProbe": "/healthz", "readinessProbe": "/readyz", "startupProbe": "/healthz"])
        let annotations = try #require(m["annotations"] as? [String: String])
        #expect(annotations["prometheus.io/path"] == "/metrics" && annotations["prometheus.io/port"] == "\(m["port"] as? Int ?? 0)")
        #expect((m["grace"] as? Int ?? 0) > 30, "the pod must outlive anchor's 30 s graceful shutdown")
        let showsMount = try #require(m["showsMount"] as? String), stateMount = try #require(m["stateMount"] as? String)

        // The pod's arguments, with the mounts moved into this test's folder and a free port.
        let port = try TestSupport.freePort()
        let args = try #require(m["args"] as? [String]).map {
            $0.replacingOccurrences(of: showsMount, with: shows.path).replacingOccurrences(of: stateMount, with: state.path)
                .replacingOccurrences(of: "0.0.0.0:\(m["port"] as? Int ?? 0)", with: "0.0.0.0:\(port)")
        }
        #expect(args.contains("0.0.0.0:\(port)"), "the control port must listen off loopback in a pod: \(args)")
        let station = shows.appendingPathComponent("station.yaml")
        try String(contentsOf: station, encoding: .utf8).replacingOccurrences(of: stateMount, with: state.path).write(to: station, atomically: true, encoding: .utf8)
        // The Secret's variables, the ingest pointing at this test's nginx.
        var env: [String: String] = [:]
        for key in try #require(m["secretKeys"] as? [String]) {
            env[key] = key.hasPrefix("PUSH_") ? "rtmp://127.0.0.1:\(nginx.port)/live/sk_k8s_\(key.lowercased())" : "k8s-test-token-0123456789abcdef"
        }
        #expect(env["ANCHOR_TOKEN"] != nil)
        let run = try TestSupport.launchAnchor(args + ["--duration", "40s"], environment: env)
        let base = "http://127.0.0.1:\(port)"
        func code(_ path: String) -> Int { (try? RunCLITests.http("GET", base + path).0) ?? 0 }
        let deadline = Date().addingTimeInterval(40)
        while Date() < deadline, code("/readyz") != 200 { Thread.sleep(forTimeInterval: 0.25) }
        // The kubelet and Prometheus carry no token: the probes and metrics answer without it; nothing else does.
        #expect(code("/readyz") == 200, "\((try? RunCLITests.http("GET", base + "/readyz").1) ?? "")")
        #expect(code("/healthz") == 200)
        #expect((try RunCLITests.http("GET", base + "/metrics").1).contains("anchor_frames_sent_total{channel="))
        #expect(code("/status") == 401 && code("/channels/skincare/status") == 401)
        #expect((try RunCLITests.http("GET", base + "/status", token: env["ANCHOR_TOKEN"]).0) == 200)

        // The kubelet's stop: SIGTERM, then the grace period.
        run.signal(SIGTERM)
        let out = run.wait(timeout: 40)
        #expect(out.status == 0, "\(out.stderr.suffix(1500))")
        #expect(!(out.stdout + out.stderr).contains("sk_k8s") && !(out.stdout + out.stderr).contains(env["ANCHOR_TOKEN"]!))
        let recordings = try FileManager.default.subpathsOfDirectory(atPath: state.appendingPathComponent("recordings").path).filter { $0.hasSuffix(".mp4") }
        #expect(recordings.count == 2 && !recordings.contains { $0.hasSuffix(".part.mp4") }, "\(recordings)")
        #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("anchor.db").path))
    }
}
}
