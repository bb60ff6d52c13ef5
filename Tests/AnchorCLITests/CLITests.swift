import AnchorCore
import AnchorTestSupport
import Foundation
import Testing

/// The `anchor` binary, run as a user would.
@Suite struct CLITests {
    @Test func shippedShowsAreClean() throws {
        let run = try TestSupport.anchor(["check", "Scripts/"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("checked 3 shows: 0 errors, 0 warnings"))
        #expect(run.stderr.isEmpty)
    }

    @Test func brokenShowReadsLikeACompiler() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let show = dir.appendingPathComponent("broken.show.md")
        try "---\ntitle: Broken\n---\n# Hi\n[prise] Only {product.price today\n@show cart\n".write(to: show, atomically: true, encoding: .utf8)
        let run = try TestSupport.anchor(["check", "broken.show.md"], in: dir)
        #expect(run.status == 1)
        let expected = """
        broken.show.md:5:1: warning: unknown intent '[prise]'; the line is tagged automatically
         5 | [prise] Only {product.price today
           | ^~~~~~~
        hint: did you mean '[price]'?
        broken.show.md:5:14: error: unterminated '{'; expected '}' before the end of the line
         5 | [prise] Only {product.price today
           |              ^
        hint: write \\{ for a literal brace
        broken.show.md:6:7: error: unknown '@show cart'; expected card, price, gallery or none
         6 | @show cart
           |       ^~~~
        hint: did you mean '@show card'?
        """
        #expect(run.stderr == expected + "\n")
        #expect(run.stdout.contains("checked 1 show: 2 errors, 1 warning"))

        let json = try TestSupport.anchor(["check", "--json", "broken.show.md"], in: dir)
        #expect(json.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(report?["errors"] as? Int == 2)
        let location = (report?["diagnostics"] as? [[String: Any]])?.first?["location"] as? [String: Any]
        #expect(location?["file"] as? String == "broken.show.md")
        #expect(location?["line"] as? Int == 5)
        #expect(location?["column"] as? Int == 1)
    }

    @Test func narrateTellsWhatWillBeSaidAndWhy() throws {
        let run = try TestSupport.anchor(["narrate", "Scripts/demo.show.md"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Night shift — sleep well deals\n"))
        #expect(run.stdout.contains("§3 Moonlit Repair Serum  [NIGHT-101]"))
        #expect(run.stdout.contains("▸ play serum-ad.mp4 full wait for 6.0s"))
        #expect(run.stdout.contains("price      Tonight only *$32.90*, down from $54."))
        #expect(run.stdout.contains("▸ link NIGHT-101"))
        #expect(run.stdout.contains("⟨countdown 3⟩"))
        #expect(run.stdout.contains("↳ auto: "))

        let zh = try TestSupport.anchor(["narrate", "Scripts/demo-zh.show.md", "--brief"])
        #expect(zh.status == 0)
        #expect(zh.stdout.contains("今晚只要*129元*！"))
        #expect(!zh.stdout.contains("↳"))
    }

    @Test func narrateJSONIsARundownAndSeedsPickVariants() throws {
        var openings: Set<String> = []
        for seed in 1...12 {
            let run = try TestSupport.anchor(["narrate", "Scripts/demo.show.md", "--json", "--seed", "\(seed)"])
            #expect(run.status == 0)
            let rundown = try JSONDecoder().decode(Rundown.self, from: Data(run.stdout.utf8))
            #expect(rundown.seed == UInt64(seed))
            #expect(rundown.segments.count == 5)
            openings.insert(rundown.segments[0].utterances[1].text)
        }
        #expect(openings.count >= 2, "\(openings)")
    }

    @Test func initScaffoldsAProjectThatPassesCheck() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let created = try TestSupport.anchor(["init", "shop"], in: dir)
        #expect(created.status == 0, "\(created.stderr)")
        let project = dir.appendingPathComponent("shop")
        for file in ["Scripts/main.show.md", "Assets/catalog.json", "Scripts/shop.rules.yaml", "Scripts/night.schedule.yaml"] {
            #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent(file).path), "\(file)")
        }
        let check = try TestSupport.anchor(["check", "Scripts"], in: project)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("0 errors, 0 warnings"))
        let narrate = try TestSupport.anchor(["narrate", "Scripts/main.show.md"], in: project)
        #expect(narrate.status == 0)
        #expect(narrate.stdout.contains("Sample Scarf"))
        let again = try TestSupport.anchor(["init", "shop"], in: dir)
        #expect(again.status == 1)
        #expect(again.stderr.contains("--force"))
    }

    @Test func catalogImportListShow() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let db = dir.appendingPathComponent("shop.db").path
        let fixture = TestSupport.sharedFixture("catalog.json")
        let imported = try TestSupport.anchor(["catalog", "import", fixture, "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("8 new, 0 updated, 0 unchanged (8 products)"))
        let again = try TestSupport.anchor(["catalog", "import", fixture], environment: ["ANCHOR_DB": db])
        #expect(again.stdout.contains("0 new, 0 updated, 8 unchanged"))

        let list = try TestSupport.anchor(["catalog", "list", "--db", db])
        #expect(list.status == 0)
        #expect(list.stdout.contains("SKU-5001"))
        #expect(list.stdout.contains("玻尿酸补水面膜（10片装）"))
        #expect(list.stdout.contains("8 products in"))
        let listJSON = try TestSupport.anchor(["catalog", "list", "--json"], environment: ["ANCHOR_DB": db])
        #expect(try JSONDecoder().decode([Product].self, from: Data(listJSON.stdout.utf8)).count == 8)

        let show = try TestSupport.anchor(["catalog", "show", "SKU-1001", "--db", db])
        #expect(show.stdout.contains("HydraGlow Night Serum  [SKU-1001]"))
        #expect(show.stdout.contains("Q: Can I use it with retinol?"))
        let missing = try TestSupport.anchor(["catalog", "show", "SKU-1010", "--db", db])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("did you mean 'SKU-1001'?") || missing.stderr.contains("did you mean 'SKU-1002'?"))

        // A show reads its products from the database when asked to.
        let show2 = dir.appendingPathComponent("db.show.md")
        try "---\nproducts: [SKU-2001]\n---\n# {product.name}\n@each product\n[price] Only {product.price}!\n".write(to: show2, atomically: true, encoding: .utf8)
        let narrate = try TestSupport.anchor(["narrate", show2.path, "--db", db])
        #expect(narrate.stdout.contains("Only $59!"), "\(narrate.stderr)")
    }

    /// Issue 17: a show value crashed check/narrate (SIGILL), and `check` migrated and wrote the
    /// database it only reads.
    @Test func checkNeitherCrashesNorWrites() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let db = dir.appendingPathComponent("shop.db").path
        #expect(try TestSupport.anchor(["catalog", "import", TestSupport.sharedFixture("catalog.json"), "--db", db]).status == 0)
        let show = dir.appendingPathComponent("a.show.md")
        try "---\nproducts: [SKU-2001]\n---\n# {product.name}\n@each product\n[price] Only {product.price}! {pause 1e19ms}\n"
            .write(to: show, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        for command in ["check", "narrate"] {
            let run = try TestSupport.anchor([command, show.path, "--db", db])
            #expect(run.status == 1, "\(command): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("a.show.md:6:31: error: pause of 1e19ms is out of range"), "\(run.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a.show.md", "shop.db"])
    }

    @Test func aBadCatalogImportsNothing() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let db = dir.appendingPathComponent("a.db").path
        let file = dir.appendingPathComponent("bad.csv")
        try "sku,name,price\nOK-1,Fine,3\nBAD-1,Broken,three\n".write(to: file, atomically: true, encoding: .utf8)
        let run = try TestSupport.anchor(["catalog", "import", file.path, "--db", db])
        #expect(run.status == 1)
        #expect(run.stderr.contains("bad.csv:3:1: error: row 2 (BAD-1): 'price' must be a number, found \"three\""))
        #expect(run.stderr.contains("nothing imported"))
        #expect(!FileManager.default.fileExists(atPath: db))
        let list = try TestSupport.anchor(["catalog", "list", "--db", db])
        #expect(list.status == 1)
        #expect(list.stderr.contains("no database at"))
    }

    @Test func usageErrorsAndHelp() throws {
        let noArgs = try TestSupport.anchor(["check"])
        #expect(noArgs.status == 64)
        let help = try TestSupport.anchor(["--help"])
        #expect(help.status == 0)
        for word in ["check", "narrate", "init", "catalog", "Exit codes"] { #expect(help.stdout.contains(word)) }
        let noCatalog = try TestSupport.anchor(["narrate", "Scripts/demo.show.md", "--db", "/nonexistent.db"])
        #expect(noCatalog.status == 1)
        #expect(noCatalog.stderr.contains("/nonexistent.db:1:1: error: no database here"))
    }
}
