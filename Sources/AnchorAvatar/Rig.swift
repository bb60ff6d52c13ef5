import AnchorCore
import Foundation

/// An avatar's `rig.json`: which SVG parts make up each slot, in which order they are drawn,
/// how they move, and which gestures and expressions it has. See docs/AVATAR.md.
public struct Rig: Sendable, Codable {
    public struct Slot: Sendable, Codable {
        /// `body` (breathing) or `head` (breathing + sway + nods).
        public var follows: String
        /// Rotation centre for swings and jaw scaling, in canvas units.
        public var pivot: [Double]?
        /// State name → SVG element id.
        public var parts: [String: String]
    }

    public struct Expression: Sendable, Codable {
        /// Brow offset in canvas units (negative raises).
        public var brows: Double
        /// Eye state when not blinking: a part of the `eyes` slot.
        public var eyes: String
    }

    public struct Gesture: Sendable, Codable {
        public var duration: Double
        /// Fraction of the duration at which the gesture peaks (lands on the stressed word).
        public var apex: Double
        public var poses: [String: String]?
        /// Rotation keyframes in degrees per slot, spread over the gesture.
        public var swing: [String: [Double]]?
        /// Head offset keyframes in canvas units (a nod).
        public var head: [Double]?
    }

    public struct Countdown: Sendable, Codable {
        public var slot: String
        /// Poses for 1, 2, 3… fingers.
        public var poses: [String]
    }

    public var name: String
    public var svg: String
    public var canvas: [Double]
    public var order: [String]
    public var slots: [String: Slot]
    public var expressions: [String: Expression]
    public var gestures: [String: Gesture]
    public var aliases: [String: String]?
    public var countdown: Countdown?
    public var intentGestures: [String: String]?

    public var canvasWidth: Double { canvas.first ?? 1000 }
    public var canvasHeight: Double { canvas.count > 1 ? canvas[1] : 900 }

    /// Loads and checks a rig; errors name the file and what is wrong.
    public static func load(from path: String) throws(AvatarError) -> Rig {
        guard let data = FileManager.default.contents(atPath: path) else { throw AvatarError.rigMissing(path) }
        let rig: Rig
        do {
            rig = try JSONDecoder().decode(Rig.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw AvatarError.rigInvalid(path, "missing '\(Self.path(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw AvatarError.rigInvalid(path, "'\(Self.path(context.codingPath))' has the wrong type: \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw AvatarError.rigInvalid(path, "not valid JSON near '\(Self.path(context.codingPath))': \(context.debugDescription)")
        } catch {
            throw AvatarError.rigInvalid(path, "\(error)")
        }
        try rig.validate(path: path)
        return rig
    }

    func validate(path: String) throws(AvatarError) {
        guard canvas.count == 2, canvasWidth > 0, canvasHeight > 0 else { throw AvatarError.rigInvalid(path, "'canvas' must be [width, height]") }
        for name in order where slots[name] == nil { throw AvatarError.rigInvalid(path, "'order' names slot '\(name)', which is not in 'slots'") }
        for (name, slot) in slots {
            guard slot.follows == "body" || slot.follows == "head" else {
                throw AvatarError.rigInvalid(path, "slot '\(name)': 'follows' must be 'body' or 'head'")
            }
            if let p = slot.pivot, p.count != 2 { throw AvatarError.rigInvalid(path, "slot '\(name)': 'pivot' must be [x, y]") }
        }
        for (name, g) in gestures {
            guard g.duration > 0, (0...1).contains(g.apex) else { throw AvatarError.rigInvalid(path, "gesture '\(name)': needs duration > 0 and apex in 0…1") }
            for slot in (g.poses ?? [:]).keys where slots[slot] == nil { throw AvatarError.rigInvalid(path, "gesture '\(name)' poses unknown slot '\(slot)'") }
        }
        for (alias, target) in aliases ?? [:] where gestures[target] == nil {
            throw AvatarError.rigInvalid(path, "alias '\(alias)' points to unknown gesture '\(target)'")
        }
    }

    /// The gesture a name means in this rig (aliases followed), if any.
    public func gesture(named name: String) -> (String, Gesture)? {
        if let g = gestures[name] { return (name, g) }
        if let target = aliases?[name], let g = gestures[target] { return (target, g) }
        return nil
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
