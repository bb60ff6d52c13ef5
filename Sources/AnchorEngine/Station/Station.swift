import AnchorCore
import Foundation
import Synchronization

/// Decides what a channel airs, for `anchor run`: the schedule's show for the time of day,
/// compiled and checked. Shows switch at segment starts; an edited show file is recompiled when
/// a segment starts and takes over at a later segment start once it compiled with no errors (the
/// last good version keeps airing, and the problem is reported). With no entry and no filler, a
/// silent holding picture.
///
/// Compiles asked for by the live loop (`willEnterSegment`) run on the station's own queue, never
/// on the frame loop: a show that takes seconds to compile must not freeze the picture.
public final class Station: Sendable {
    /// Compiles a show file into a program (catalog resolved), or says why it cannot air.
    public typealias Loader = @Sendable (_ path: String) -> Result<Program, ShowProblem>

    public struct ShowProblem: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public init(path: String, message: String) { self.path = path; self.message = message }
        public var description: String { "\(path): \(message)" }
    }

    /// A show change, reload or problem, for the log and the dashboard.
    public enum Event: Sendable {
        case switched(to: String, slot: String)
        case reloaded(String)
        case rejected(ShowProblem)
    }

    struct Loaded {
        var modified: Date?
        var program: Program
    }

    /// A show that never compiled: when it was tried, and the file's time then.
    struct Failed {
        var modified: Date?
        var at: Date
    }

    /// A show that never compiled is tried again this often while its file is unchanged (what it
    /// needs, a database or a catalog, may appear), not at every segment start.
    static let retryInterval: TimeInterval = 60

    /// Where compiles asked for by the live loop run.
    public enum Compiling: Sendable {
        /// On the caller's thread (tests that step a clock).
        case inline
        /// On the station's serial queue; the result is used at a later segment start.
        case background
    }

    struct State {
        var cache: [String: Loaded] = [:]
        var problems: [String: String] = [:]
        var failed: [String: Failed] = [:]
        /// Shows being compiled on the queue.
        var compiling: Set<String> = []
        /// Shows recompiled on the queue whose new version has not been handed out yet.
        var fresh: Set<String> = []
    }

    public let schedule: Schedule
    private let load: Loader
    private let state = Mutex(State())
    private let clock: @Sendable () -> Date
    private let report: @Sendable (Event) -> Void
    private let compiling: Compiling
    private let queue = DispatchQueue(label: "anchor.station.compile", qos: .utility)

    public init(schedule: Schedule, load: @escaping Loader, clock: @escaping @Sendable () -> Date = { Date() },
                compiling: Compiling = .background, report: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.schedule = schedule
        self.load = load
        self.clock = clock
        self.compiling = compiling
        self.report = report
    }

    /// Waits until every compile started so far has finished (tests, and a clean stop).
    public func waitForCompiles() {
        queue.sync {}
    }

    /// Shows that cannot air right now, with why (path → message).
    public var problems: [String: String] { state.withLock { $0.problems } }

    public static let offAirID = "(off air)"

    /// The slot airing at `date`, if any.
    public func slot(at date: Date) -> Schedule.Slot? {
        schedule.plan(from: date, to: date.addingTimeInterval(1)).first
    }

    /// What to open with: the saved position when the same show is still scheduled, else the
    /// scheduled show from its start. `resumed` says which.
    public func opening(saved: (show: String, position: ShowPosition)?) -> (program: Program, resumed: Bool) {
        let now = clock()
        let slot = slot(at: now)
        if let slot, slot.isWarmup { return (warmup(slot, now: now), false) }
        guard let slot, var p = program(slot.show, loop: slot.loop, live: false) else { return (Self.offAir(), false) }
        if let saved, saved.show == slot.show, saved.position.segment < p.rundown.segments.count {
            p.position = saved.position
            return (p, true)
        }
        return (p, false)
    }

    /// For `LiveDirector.willEnterSegment`: the scheduled show when it changed, a reloaded
    /// version of the current one when its file changed, the filler after a show that ran out.
    public func willEnterSegment(_ current: String, _ position: ShowPosition, _ ended: Bool) -> Program? {
        let now = clock()
        let slot = slot(at: now)
        guard let slot else { return current == Self.offAirID ? nil : Self.offAir() }
        if slot.isWarmup {
            // A new warm-up, or the same one again when it ran out a moment before the start.
            guard Warmup.id(slot) != current || ended else { return nil }
            if Warmup.id(slot) != current { report(.switched(to: slot.show, slot: "warm-up for \(slot.name)")) }
            return warmup(slot, now: now)
        }
        if slot.show != current {
            guard var p = program(slot.show, loop: slot.loop) else { return nil }
            p.position = .start
            report(.switched(to: slot.show, slot: slot.name))
            return p
        }
        if ended, !slot.loop {
            // Played once; the filler takes the rest of the window (or the show starts over).
            if let filler = schedule.filler, filler != current, var p = program(filler, loop: true) {
                p.position = .start
                report(.switched(to: filler, slot: "filler"))
                return p
            }
        }
        guard var p = reloadIfChanged(current, loop: slot.loop) ?? (ended ? program(current, loop: slot.loop, live: false) : nil) else { return nil }
        p.position = ended ? ShowPosition(pass: position.pass + 1) : Self.sameSegment(position, in: p)
        return p
    }

    /// The warm-up airing before a show, in the show's language when it is compiled already.
    private func warmup(_ slot: Schedule.Slot, now: Date) -> Program {
        let next = slot.leadsInto.flatMap { path in state.withLock { $0.cache[path]?.program } }
        return Warmup.program(slot, now: now, timeZone: schedule.timeZone, language: next?.rundown.language ?? .en)
    }

    /// Every show of the schedule, compiled now (problems are reported); for the chat catalog
    /// and to find errors before going on air.
    public func preload() -> [Program] {
        let paths = Set(schedule.entries.map(\.show) + (schedule.filler.map { [$0] } ?? []))
        return paths.sorted().compactMap { program($0, loop: true, live: false) }
    }

    /// Recompiles a show now (the control port's reload): the new version at the same segment,
    /// or why it cannot air (the last good version goes on).
    public func reload(_ path: String, at position: ShowPosition) -> Result<Program, ShowProblem> {
        let loop = slot(at: clock())?.loop ?? true
        return compile(path, modified: Self.modified(path)).map { p in
            report(.reloaded(path))
            var out = Self.looping(p, loop)
            out.position = Self.sameSegment(position, in: p)
            return out
        }
    }

    /// The last good version of a show, loading it the first time (a show that failed is tried
    /// again once its file changed or `retryInterval` passed). From the live loop (`live`) a
    /// show not loaded yet is compiled on the queue and nil is returned: it airs at a later
    /// segment start.
    func program(_ path: String, loop: Bool, live: Bool = true) -> Program? {
        let (hit, failed) = state.withLock { ($0.cache[path], $0.failed[path]) }
        if let hit { return Self.looping(hit.program, loop) }
        let modified = Self.modified(path)
        if let failed, failed.modified == modified, abs(clock().timeIntervalSince(failed.at)) < Self.retryInterval { return nil }
        guard !live || compiling == .inline else { compileOnQueue(path, modified: modified); return nil }
        return try? compile(path, modified: modified).map { Self.looping($0, loop) }.get()
    }

    /// A new version when the file changed since it was loaded and compiles cleanly (from the
    /// queue: the version compiled there since the last segment start).
    private func reloadIfChanged(_ path: String, loop: Bool) -> Program? {
        let (loaded, fresh) = state.withLock { s in (s.cache[path], s.fresh.remove(path) != nil) }
        guard let loaded else { return nil }
        if fresh {
            report(.reloaded(path))
            return Self.looping(loaded.program, loop)
        }
        let now = Self.modified(path)
        guard now != loaded.modified else { return nil }
        guard compiling == .inline else { compileOnQueue(path, modified: now); return nil }
        return try? compile(path, modified: now).map { p in
            report(.reloaded(path))
            return Self.looping(p, loop)
        }.get()
    }

    /// Starts compiling a show on the queue unless it is already being compiled there.
    private func compileOnQueue(_ path: String, modified: Date?) {
        guard state.withLock({ $0.compiling.insert(path).inserted }) else { return }
        queue.async { [self] in
            let wasLoaded = state.withLock { $0.cache[path] != nil }
            let result = compile(path, modified: modified)
            state.withLock { s in
                s.compiling.remove(path)
                if case .success = result, wasLoaded { s.fresh.insert(path) }
            }
        }
    }

    /// Compiles a show: a clean one becomes its last good version; a failing one is reported
    /// when its problem is new (once per edit: its modification time is remembered, the last
    /// good version kept; a retry that fails the same way is not reported again).
    private func compile(_ path: String, modified: Date?) -> Result<Program, ShowProblem> {
        let result = load(path)
        let now = clock()
        let isNew = state.withLock { s in
            switch result {
            case .success(let p):
                s.cache[path] = Loaded(modified: modified, program: p)
                s.problems[path] = nil
                s.failed[path] = nil
                return false
            case .failure(let problem):
                s.cache[path]?.modified = modified
                let neverGood = s.cache[path] == nil
                let repeated = neverGood && s.failed[path]?.modified == modified && s.problems[path] == problem.message
                if neverGood { s.failed[path] = Failed(modified: modified, at: now) }
                s.problems[path] = problem.message
                return !repeated
            }
        }
        if case .failure(let problem) = result, isNew { report(.rejected(problem)) }
        return result
    }

    /// The same pass and segment in a new version of a show (its last segment if it got shorter).
    static func sameSegment(_ position: ShowPosition, in p: Program) -> ShowPosition {
        ShowPosition(pass: position.pass, segment: min(position.segment, max(0, p.rundown.segments.count - 1)))
    }

    static func looping(_ p: Program, _ loop: Bool) -> Program {
        var p = p
        p.rundown.loop = loop
        return p
    }

    /// The file's own modification date, through symlinks: a Kubernetes ConfigMap swaps the
    /// `..data` link its files point through, and the links themselves never change.
    static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path))?[.modificationDate] as? Date
    }

    /// A silent holding picture: a looping show with nothing in it.
    static func offAir() -> Program {
        Program(id: offAirID, rundown: Rundown(title: "off air", language: .en, voice: Language.en.defaultVoice, avatar: "juno", loop: true,
                                               seed: 1, products: [], segments: []), catalog: nil)
    }
}
