import AnchorFuzzing
import AnchorTestSupport
import Foundation
import Testing

/// Replays every input kept in Tests/Fixtures/fuzz/TARGET/: the seeds scripts/fuzz.sh starts
/// from and each input that once crashed a parser (the test process dies if one crashes again).
@Suite struct FuzzRegressionTests {
    @Test(arguments: FuzzTarget.allCases)
    func keptInputsRunCleanly(_ target: FuzzTarget) throws {
        let folder = TestSupport.path("Tests/Fixtures/fuzz/\(target.rawValue)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(!files.isEmpty, "no inputs in \(folder)")
        for file in files {
            let data = try #require(FileManager.default.contents(atPath: folder + "/" + file))
            target.run(data)
        }
    }
}
