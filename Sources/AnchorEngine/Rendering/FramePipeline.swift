import AnchorCore
import AnchorAvatar
import AnchorMedia
import Foundation
import Synchronization

/// Draws and colour-converts frames on a second thread while the caller encodes them, through
/// a small ring of I420 buffers: the drawing thread waits when the encoder falls behind, so
/// memory stays bounded, and on two cores drawing hides behind x264. Unthreaded, `next()`
/// draws on the caller's thread instead (one core, least CPU).
/// Sendable (unchecked): the ring's slots are handed between the two threads through the
/// semaphores below — a slot is written only after its consumer released it and read only after
/// its producer signalled it — so no slot is ever touched by both at once.
final class FramePipeline: @unchecked Sendable {
    /// Thread CPU seconds the drawing thread spent, readable after `finish()`.
    private(set) var avatarSeconds = 0.0
    private(set) var conversionSeconds = 0.0

    private let slots: [I420Frame]
    private let free: DispatchSemaphore
    private let filled = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private var consumed = 0
    private var finished = false
    private let threaded: Bool
    private let converter: ColorConverter
    private let draw: @Sendable (Int) -> (CairoSurface, Damage)
    /// Per slot: where the picture changed since that slot was last converted.
    private var stale: [Damage]
    /// Per slot: where its frame differs from the one before it (for the encoder).
    private var changed: [Damage]

    /// Draws frames `0..<count` with `draw` (the picture and where it changed since the last
    /// one), converted by `converter`: each buffer only where it is out of date.
    init(count: Int, converter: ColorConverter, threaded: Bool = true, depth: Int = 3,
         draw: @escaping @Sendable (Int) -> (CairoSurface, Damage)) {
        self.threaded = threaded
        self.converter = converter
        self.draw = draw
        slots = (0..<(threaded ? depth : 1)).map { _ in I420Frame(width: converter.width, height: converter.height) }
        stale = slots.map { _ in .full(width: converter.width, height: converter.height) }
        changed = stale
        // Created at zero and signalled up: libdispatch traps when a semaphore is freed below
        // its initial value, which an early stop would leave it.
        free = DispatchSemaphore(value: 0)
        for _ in slots { free.signal() }
        guard threaded else { finished = true; return }
        let thread = Thread { [self] in
            for n in 0..<count {
                free.wait()
                if stopping.load(ordering: .acquiring) { break }
                produce(n)
                filled.signal()
            }
            exited.signal()
        }
        thread.name = "anchor.frames"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next frame in order and where it differs from the one before; valid until `release()`.
    func next() -> (frame: I420Frame, changed: Damage) {
        if threaded { filled.wait() } else { produce(consumed) }
        let k = consumed % slots.count
        return (slots[k], changed[k])
    }

    private func produce(_ n: Int) {
        var t = CPUTime.thread()
        let (surface, damage) = draw(n)
        avatarSeconds += CPUTime.thread() - t
        t = CPUTime.thread()
        let k = n % slots.count
        for i in stale.indices { stale[i].formUnion(damage) }
        surface.withPixels { converter.convert(bgra: $0.baseAddress!, stride: surface.stride, into: slots[k], damage: stale[k]) }
        stale[k] = Damage(width: converter.width, height: converter.height)
        changed[k] = damage
        conversionSeconds += CPUTime.thread() - t
    }

    /// Hands the frame `next()` returned back to the drawing thread.
    func release() {
        consumed += 1
        free.signal()
    }

    /// Stops the drawing thread (early or at the end) and waits for it.
    func finish() {
        guard !finished else { return }
        finished = true
        stopping.store(true, ordering: .releasing)
        free.signal()
        exited.wait()
    }

    deinit { finish() }
}
