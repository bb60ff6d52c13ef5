import AnchorCore
@testable import AnchorStore
import AnchorTestSupport
import Foundation
import Testing

@Suite struct CatalogFileTests {
    @Test func readsTheSharedFixture() throws {
        let path = TestSupport.sharedFixture("catalog.json")
        let result = CatalogFile.read(path: path)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.products.count == 8)
        let serum = try #require(result.catalog.product(sku: "SKU-1001"))
        #expect(serum.price == Money(minorUnits: 2990, currency: "USD"))
        #expect(serum.listPrice == Money(minorUnits: 4990, currency: "USD"))
        #expect(serum.spec("volume") == "30 ml")
        #expect(serum.faq.count == 2)
        #expect(serum.tags == ["skincare", "night"])
        let mask = try #require(result.catalog.product(sku: "SKU-5001"))
        #expect(mask.price.currency == "CNY")
        #expect(mask.price.formatted(for: .zh) == "59元")
    }

    @Test func badRowsAreReportedWithLineAndRow() {
        let json = """
        {"currency": "USD", "products": [
          {"sku": "A-1", "name": "Fine", "price": 1.5},
          {"sku": "A-2", "name": "No price"},
          {
            "sku": "A-3", "name": "Bad numbers", "price": "cheap", "stock": -4, "slot": 1.5
          },
          {"sku": "A-1", "name": "Again", "price": 2, "faq": [{"q": "?"}]},
          "not an object"
        ]}
        """
        let result = CatalogFile.read(Data(json.utf8), path: "c.json", format: .json)
        let lines = result.diagnostics.map(\.location.line)
        let messages = result.diagnostics.map(\.message)
        #expect(messages.contains("row 2 (A-2): 'price' is missing"))
        #expect(messages.contains("row 3 (A-3): 'price' must be a number"))
        #expect(messages.contains { $0.hasPrefix("row 3 (A-3): 'stock' must be a whole number ≥ 0") })
        #expect(messages.contains { $0.hasPrefix("row 3 (A-3): 'slot' must be a whole number ≥ 1") })
        #expect(messages.contains("row 4 (A-1): SKU 'A-1' appears more than once in the file"))
        #expect(messages.contains { $0.hasPrefix("row 4 (A-1): 'faq' entry 1") })
        #expect(messages.contains("row 5: a product must be a JSON object"))
        // Each row is reported at the line it starts on.
        #expect(Set(lines) == [3, 4, 7, 8])
        #expect(result.diagnostics.allSatisfy { $0.location.file == "c.json" && $0.severity == .error })
    }

    /// Issue 17: 1e13 imported silently as $0, and a NUL in a SKU overwrote another product.
    @Test func outOfRangePricesAndControlCharactersInKeysAreRejected() {
        let json = """
        {"currency": "USD", "products": [
          {"sku": "A-1", "name": "Huge", "price": 1e13},
          {"sku": "A-2", "name": "Negative list", "price": 1, "list_price": -0.01},
          {"sku": "A-3\\u0000evil", "name": "NUL", "price": 1},
          {"sku": "A-\\u200b4", "name": "Zero width", "price": 1},
          {"sku": "A-5", "name": "Fine", "price": 999999999.99}
        ]}
        """
        let result = CatalogFile.read(Data(json.utf8), path: "c.json", format: .json)
        let messages = result.diagnostics.map(\.message)
        #expect(messages.contains { $0.hasPrefix("row 1 (A-1): 'price' must be an amount from 0 to 1000000000") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("row 2 (A-2): 'list_price' must be an amount") }, "\(messages)")
        #expect(messages.contains { $0.contains("'sku' contains the control character U+0000") }, "\(messages)")
        #expect(messages.contains { $0.contains("'sku' contains the control character U+200B") }, "\(messages)")
        #expect(result.diagnostics.map(\.location.line) == [2, 3, 4, 5])
        #expect(result.products.map(\.sku) == ["A-5"])
        #expect(result.products.first?.price == Money(minorUnits: 99_999_999_999, currency: "USD"))

        let csv = "sku,name,price\nB-1,Not a number,NaN\nB-2,Infinite,inf\nB-3,Fine,2.50\n"
        let fromCSV = CatalogFile.read(Data(csv.utf8), path: "c.csv", format: .csv)
        #expect(fromCSV.diagnostics.map(\.location.line) == [2, 3], "\(fromCSV.diagnostics)")
        #expect(fromCSV.products.map(\.sku) == ["B-3"])
    }

    @Test func invalidJSONNamesTheLine() {
        let result = CatalogFile.read(Data("{\"products\": [\n {\"sku\": \"A\",,}\n]}".utf8), path: "x.json", format: .json)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics[0].message.hasPrefix("the file is not valid JSON"))
        #expect(result.diagnostics[0].location.line == 2)
    }

    @Test func csvWithQuotesListsAndJSONCells() throws {
        let csv = """
        sku,name,price,list_price,currency,tags,highlights,specs,faq,stock,slot
        C-1,"Socks, wool",24,36,usd,apparel; gift,"warm; dry",material: merino; sizes: S-XL,"[{""q"": ""Size?"", ""a"": ""S to XL""}]",12,3
        C-2,"Mug
        (two lines)",9.5,,CNY,"[""home""]","[""holds 350 ml""]","{""capacity"": ""350 ml""}",,,
        
        """
        let result = CatalogFile.read(Data(csv.utf8), path: "p.csv", format: .csv)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.products.count == 2)
        let socks = try #require(result.catalog.product(sku: "C-1"))
        #expect(socks.name == "Socks, wool")
        #expect(socks.tags == ["apparel", "gift"])
        #expect(socks.highlights == ["warm", "dry"])
        #expect(socks.specs == [.init(key: "material", value: "merino"), .init(key: "sizes", value: "S-XL")])
        #expect(socks.faq == [.init(question: "Size?", answer: "S to XL")])
        #expect(socks.price == Money(minorUnits: 2400, currency: "USD"))
        #expect(socks.stock == 12 && socks.slot == 3)
        let mug = try #require(result.catalog.product(sku: "C-2"))
        #expect(mug.name == "Mug\n(two lines)")
        #expect(mug.price.formatted(for: .zh) == "9.5元")
        #expect(mug.listPrice == nil && mug.stock == nil)
        #expect(mug.spec("capacity") == "350 ml")
    }

    @Test func csvBadRowsAfterAMultilineFieldKeepTheirLines() {
        let csv = "sku,name,price\nA,\"two\nlines\",1\nB,Bad,abc\nC,Short\n"
        let result = CatalogFile.read(Data(csv.utf8), path: "p.csv", format: .csv)
        #expect(result.diagnostics.map(\.description) == [
            "p.csv:4:1: error: row 2 (B): 'price' must be a number, found \"abc\"",
            "p.csv:5:1: error: row 3: has 2 fields, the header has 3",
        ])
    }

    @Test func csvStructuralErrors() {
        let unterminated = CatalogFile.read(Data("sku,name,price\nA,\"open,1\n".utf8), path: "u.csv", format: .csv)
        #expect(unterminated.diagnostics.map(\.description) == ["u.csv:2:1: error: a quoted field that starts on this line is never closed"])
        let noPrice = CatalogFile.read(Data("sku,name,prise\nA,B,1\n".utf8), path: "h.csv", format: .csv)
        #expect(noPrice.diagnostics.contains { $0.message == "the header has no 'price' column" })
        #expect(noPrice.diagnostics.contains { $0.hint == "did you mean 'price'?" })
        #expect(CatalogFile.read(Data().self, path: "e.csv", format: .csv).diagnostics.hasErrors)
    }

    @Test func missingFileAndBinary() {
        #expect(CatalogFile.read(path: "/nonexistent/c.json").diagnostics.map(\.message) == ["no such file"])
        let binary = CatalogFile.read(Data([0xFF, 0xFE, 0x00, 0x41]), path: "b.json", format: .json)
        #expect(binary.diagnostics.map(\.message) == ["the file is not UTF-8 text"])
    }
}

@Suite struct CatalogStoreTests {
    func withStore(_ body: (CatalogStore, URL) throws -> Void) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let db = try AnchorDatabase(path: dir.appendingPathComponent("anchor.db").path)
        try body(CatalogStore(database: db), dir)
    }

    @Test func importRoundTripsEveryField() throws {
        try withStore { store, _ in
            let products = CatalogFile.read(path: TestSupport.sharedFixture("catalog.json")).products
            let counts = try store.upsert(products)
            #expect(counts == .init(inserted: 8, updated: 0, unchanged: 0))
            let back = try store.all()
            #expect(back == products.sorted { ($0.slot ?? .max, $0.sku) < ($1.slot ?? .max, $1.sku) })
            #expect(try store.product(sku: "SKU-5004")?.specs.count == 3)
            #expect(try store.product(sku: "NOPE") == nil)
        }
    }

    @Test func galleryPicturesAndClipsAreReadBesideTheCatalogAndKept() throws {
        try withStore { store, dir in
            let json = dir.appendingPathComponent("shop/catalog.json")
            try FileManager.default.createDirectory(at: json.deletingLastPathComponent(), withIntermediateDirectories: true)
            try #"[{"sku": "G-1", "name": "Glow", "price": 9.5, "image": "a.png", "images": ["b.jpg", "/abs/c.webp"], "clips": ["spot.mp4"]}]"#
                .write(to: json, atomically: true, encoding: .utf8)
            let read = CatalogFile.read(path: json.path)
            #expect(!read.diagnostics.hasErrors, "\(read.diagnostics)")
            let p = try #require(read.products.first)
            let folder = json.deletingLastPathComponent().path
            #expect(p.images == [folder + "/b.jpg", "/abs/c.webp"] && p.clips == [folder + "/spot.mp4"])
            try store.upsert(read.products)
            #expect(try store.product(sku: "G-1") == p)
            // CSV lists are 'a; b'.
            let csv = dir.appendingPathComponent("c.csv")
            try "sku,name,price,images,clips\nG-2,Two,3,x.png; y.png,\n".write(to: csv, atomically: true, encoding: .utf8)
            let two = try #require(CatalogFile.read(path: csv.path).products.first)
            #expect(two.images == [dir.path + "/x.png", dir.path + "/y.png"] && two.clips.isEmpty)
        }
    }

    @Test func upsertCountsNewUpdatedAndUnchanged() throws {
        try withStore { store, _ in
            var products = CatalogFile.read(path: TestSupport.sharedFixture("catalog.json")).products
            try store.upsert(products)
            #expect(try store.upsert(products) == .init(inserted: 0, updated: 0, unchanged: 8))
            products[0].price = Money(minorUnits: 1999, currency: "USD")
            products[1].faq = []
            products.append(Product(sku: "NEW-1", name: "New", price: Money(minorUnits: 100, currency: "USD")))
            #expect(try store.upsert(products) == .init(inserted: 1, updated: 2, unchanged: 6))
            #expect(try store.product(sku: products[0].sku)?.price.minorUnits == 1999)
            #expect(try store.product(sku: products[1].sku)?.faq.isEmpty == true)
            #expect(try store.count() == 9)
        }
    }

    @Test func databaseIsWALAndMigrated() throws {
        try withStore { store, dir in
            let mode = try store.database.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
            // Reopening an existing database runs no migration twice.
            let again = try AnchorDatabase(path: dir.appendingPathComponent("anchor.db").path)
            let applied = try again.pool.read { db in try AnchorDatabase.migrator.appliedMigrations(db) }
            #expect(applied == ["v1-catalog", "v2-chat", "v3-air", "v4-draws", "v5-gallery", "v6-analytics"])
        }
    }

    @Test func clearErrorForAMissingFolder() {
        #expect(throws: AnchorDatabase.OpenError.self) { try AnchorDatabase(path: "/nonexistent/dir/anchor.db") }
        #expect(AnchorDatabase.resolvePath(nil, environment: ["ANCHOR_DB": "/tmp/x.db"]) == "/tmp/x.db")
        #expect(AnchorDatabase.resolvePath("mine.db", environment: ["ANCHOR_DB": "/tmp/x.db"]) == "mine.db")
        #expect(AnchorDatabase.resolvePath(nil, environment: [:]) == "anchor.db")
    }
}
