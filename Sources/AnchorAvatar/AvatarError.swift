/// What can go wrong loading an avatar or writing a frame.
public enum AvatarError: Error, CustomStringConvertible, Equatable {
    case rigMissing(String)
    case rigInvalid(String, String)
    case svgInvalid(String, String)
    case slotEmpty(String, slot: String)
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .rigMissing(let path): return "no avatar rig at \(path) (expected Models/NAME/rig.json)"
        case let .rigInvalid(path, why): return "\(path): \(why)"
        case let .svgInvalid(path, why): return "\(path): not a usable SVG: \(why)"
        case let .slotEmpty(path, slot): return "\(path): slot '\(slot)' has none of its parts in the SVG"
        case let .cannotWrite(path, why): return "cannot write \(path): \(why)"
        }
    }
}
