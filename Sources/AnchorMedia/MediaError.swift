import Foundation

/// What can go wrong encoding or writing media.
public enum MediaError: Error, CustomStringConvertible {
    case encoder(String)
    case output(path: String, reason: String)
    /// A clip, picture or music file that cannot be read or decoded.
    case input(path: String, reason: String)

    public var description: String {
        switch self {
        case .encoder(let why): return "encoder: \(why)"
        case let .output(path, reason): return "cannot write \(path): \(reason)"
        case let .input(path, reason): return "cannot play \(path): \(reason)"
        }
    }
}
