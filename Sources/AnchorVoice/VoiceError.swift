import Foundation

/// Why speech could not be made.
public enum VoiceError: Error, CustomStringConvertible, Equatable {
    case engineUnavailable(String)
    case unknownVoice(String, available: [String])
    case resampler(String)

    public var description: String {
        switch self {
        case .engineUnavailable(let why): return why
        case let .unknownVoice(name, available):
            return "unknown voice '\(name)'; available: " + available.sorted().joined(separator: ", ")
        case .resampler(let why): return "resampler: \(why)"
        }
    }
}
