import Foundation

/// Finds the assets anchor ships (Models/, Assets/, Scripts/): `ANCHOR_HOME`, the current
/// folder, the show's project, then the package the binary was built in.
public enum Assets {
    public static func avatarFolder(_ name: String, nearShow show: String? = nil) -> String? {
        folder("Models/\(name)", containing: "rig.json", nearShow: show)
    }

    public static func folder(_ relative: String, containing file: String, nearShow show: String?) -> String? {
        var roots: [String] = []
        if let home = ProcessInfo.processInfo.environment["ANCHOR_HOME"] { roots.append(home) }
        roots.append(FileManager.default.currentDirectoryPath)
        if let show {
            let dir = (show as NSString).deletingLastPathComponent
            roots.append(dir.isEmpty ? "." : dir)
            roots.append(((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(".."))
        }
        // .build/<config>/anchor → the package root is three levels up.
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        roots.append(exe.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path)
        roots.append(exe.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path)
        for root in roots {
            let candidate = (root as NSString).appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent(file)) { return candidate }
        }
        return nil
    }
}
