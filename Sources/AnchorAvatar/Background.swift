import CCairo
import Foundation

/// What is behind the avatar.
public enum Background: Sendable, Hashable {
    /// A soft studio gradient (the default).
    case studio
    case color(UInt32)
    /// Chroma-key green (#00B140) for compositing in OBS.
    case green
    /// Alpha kept (for formats that carry it, and PNG stills).
    case transparent
    case image(String)

    /// `studio`, `green`, `transparent`, `#RRGGBB`, or a path to an image.
    public init?(parsing s: String) {
        switch s.lowercased() {
        case "", "studio", "default": self = .studio
        case "green", "chroma", "chromakey": self = .green
        case "transparent", "none": self = .transparent
        default:
            if s.hasPrefix("#"), s.count == 7, let v = UInt32(s.dropFirst(), radix: 16) { self = .color(v) }
            else if s.contains(".") || s.contains("/") { self = .image(s) }
            else { return nil }
        }
    }
}
