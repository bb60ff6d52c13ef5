import AnchorFuzzing
import Foundation
#if FUZZING
import CLibFuzzer
#endif

// Built by scripts/fuzz.sh with -sanitize=fuzzer -DFUZZING: libFuzzer owns main and calls this
// for every input; the target is chosen by ANCHOR_FUZZ_TARGET. Built normally, the program
// replays files: `anchor-fuzz TARGET FILE…`.

#if FUZZING
private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["ANCHOR_FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("set ANCHOR_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return t
}()

/// SwiftPM links an executable's entry as `<module>_main` (`--defsym main=anchor_fuzz_main`), so
/// libFuzzer's own main is not used: this hands the command line to its driver.
@_cdecl("anchor_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in
        target.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
        return 0
    }
}
#else
@main
struct Replay {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: anchor-fuzz TARGET FILE…  (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))")
            exit(2)
        }
        for file in args.dropFirst() {
            guard let data = FileManager.default.contents(atPath: file) else { print("cannot read \(file)"); exit(1) }
            target.run(data)
            print("ok \(file)")
        }
    }
}
#endif
