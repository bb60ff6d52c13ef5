import AnchorCore
import Foundation
import NIOCore
import Synchronization

/// Exponential backoff: 0.5 s doubling to a 30 s cap, each delay jittered by ±15 % so many
/// senders never retry in step, while a short outage is still retried promptly.
public struct Backoff: Sendable {
    public var base = 0.5
    public var cap = 30.0
    private var attempt = 0

    public init() {}

    public mutating func next() -> Double {
        let delay = min(cap, base * pow(2, Double(min(attempt, 16))))
        attempt += 1
        return min(cap, delay * Double.random(in: 0.85...1.15))
    }

    public mutating func reset() { attempt = 0 }
}
