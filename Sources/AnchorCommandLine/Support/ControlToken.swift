import ArgumentParser
import Foundation

/// A control token made at start, for a control port on loopback that was given none.
public enum ControlToken {
    /// 128 random bits as hex, written to `file` with mode 0600 (replacing an older one).
    public static func make(writingTo file: String) throws -> String {
        var rng = SystemRandomNumberGenerator()
        let token = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
        try? FileManager.default.removeItem(atPath: file)
        guard FileManager.default.createFile(atPath: file, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write the control token to '\(file)' (give --token-file PATH, --token, or --token none)")
        }
        return token
    }
}
