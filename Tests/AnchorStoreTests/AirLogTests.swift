import AnchorStore
import AnchorTestSupport
import Foundation
import Testing

@Suite struct AirLogTests {
    @Test func thePositionSurvivesReopeningAndIsPerChannel() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let path = dir.appendingPathComponent("state.db").path
        let log = AirLog(database: try AnchorDatabase(path: path))
        #expect(try log.saved() == nil)
        try log.save(show: "a.show.md", pass: 1, segment: 3, event: 2)
        try log.save(show: "a.show.md", pass: 1, segment: 4, event: 0)
        let other = AirLog(database: try AnchorDatabase(path: path), channel: "second")
        try other.save(show: "b.show.md", pass: 0, segment: 1, event: 1)
        let reopened = try AirLog(database: AnchorDatabase(path: path)).saved()
        #expect(reopened?.show == "a.show.md" && reopened?.segment == 4 && reopened?.event == 0 && reopened?.pass == 1)
        #expect(try other.saved()?.show == "b.show.md")
    }

    @Test func eachSegmentClosesThePreviousMomentAndFilesListTheirOwn() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let log = AirLog(database: try AnchorDatabase(path: dir.appendingPathComponent("state.db").path))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try log.begin(show: "s", segment: "Welcome", productSku: nil, at: t0, file: "one.mp4", offsetSeconds: 0.5)
        try log.begin(show: "s", segment: "Serum", productSku: "NIGHT-101", at: t0 + 20, file: "one.mp4", offsetSeconds: 20.5)
        try log.begin(show: "s", segment: "Serum", productSku: "NIGHT-101", at: t0 + 30, file: "two.mp4", offsetSeconds: 0)
        try log.end(at: t0 + 35)
        let all = try log.moments()
        #expect(all.map(\.segment) == ["Welcome", "Serum", "Serum"])
        #expect(all[0].endedAt == t0 + 20 && all[1].endedAt == t0 + 30 && all[2].endedAt == t0 + 35)
        #expect(try log.moments(productsOnly: true).count == 2)
        #expect(try log.moments(inFile: "one.mp4").map(\.offsetSeconds) == [0.5, 20.5])
    }
}
