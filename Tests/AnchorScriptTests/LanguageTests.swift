import AnchorCore
import AnchorTestSupport
import AnchorScript
import Foundation
import Testing

@Suite struct LanguageTests {
    @Test func variablesAreFilledFromTheCatalog() throws {
        let text = """
        ---
        products: [NIGHT-101, YE-201]
        ---
        # {product.name}
        @each product
        [price] *{product.price}* from {product.list_price}: {product.discount} off, save {product.savings}.
        It {product.highlights}.
        Volume {product.specs.volume}, slot {product.slot}, {product.stock} left of {products.count} products.
        """
        let r = try #require(compile(text).rundown)
        #expect(r.segments.map(\.title) == ["Moonlit Repair Serum", "晚安精华油"])
        #expect(r.segments.map(\.productSKU) == ["NIGHT-101", "YE-201"])
        let serum = r.segments[0].utterances
        #expect(serum[0].text == "$32.90 from $54: 39% off, save $21.10.")
        #expect(serum[0].substring(serum[0].stress[0]) == "$32.90")
        #expect(serum[1].text == "It works while you sleep, has three percent niacinamide and is gentle enough for every night.")
        #expect(serum[2].text == "Volume 30 ml, slot 1, 180 left of 2 products.")
        // The Chinese product has no 'volume' spec: a warning, and the variable is left out.
        let oil = r.segments[1].utterances
        #expect(oil[0].text == "¥129 from ¥199: 35% off, save ¥70.")
        #expect(oil[2].text == "Volume , slot 4, 260 left of 2 products.")
    }

    @Test func pricesFollowTheShowLanguage() throws {
        let u = try #require(say("@each product\n[price] 只要{product.price}，原价{product.list_price}", header: "language: zh\nproducts: [YE-202]\nstyle: plain"))
        #expect(u.text == "只要59元，原价99元")
        #expect(u.language == .zh)
    }

    @Test func stressSpansAndCuesSitAtTheirPlaces() throws {
        let u = try #require(say("[urgency] Only *three* left, {pause 400ms}hurry! {countdown 3} {gesture point}"))
        #expect(u.text == "Only three left, hurry!")
        #expect(u.stress.map { u.substring($0) } == ["three"])
        #expect(u.cues == [InlineCue(offset: 17, cue: .pause(milliseconds: 400)),
                           InlineCue(offset: 23, cue: .countdown(3)), InlineCue(offset: 23, cue: .gesture("point"))])
        #expect(u.intent == .urgency)
        #expect(u.reason.source == .tagged)
    }

    @Test func aLineOfOnlyCuesBecomesCueEvents() throws {
        let r = try #require(compile("# A\nHi.\n{pause 1.5s} {gesture wave}\n").rundown)
        #expect(r.segments[0].events.count == 3)
        guard case .cue(.pause(milliseconds: 1500), let at) = r.segments[0].events[1] else {
            Issue.record("expected a pause cue, got \(r.segments[0].events)")
            return
        }
        #expect(at.line == 3)
    }

    @Test func escapesAndLoneAsterisksAreLiteral() throws {
        let u = try #require(say(#"Use \{braces\}, \*stars\*, 5 * 3 = 15 and a \\ backslash"#))
        #expect(u.text == #"Use {braces}, *stars*, 5 * 3 = 15 and a \ backslash"#)
        #expect(u.stress.isEmpty)
    }

    @Test func variantsAreReproducibleAndVary() throws {
        let line = "{one|two|three|four|five} {red|green|blue}"
        let first = try #require(say(line, seed: 11)).text
        #expect(try #require(say(line, seed: 11)).text == first)
        let seen = Set((0..<40).compactMap { say(line, seed: UInt64($0))?.text })
        #expect(seen.count >= 8)
    }

    @Test func editingOneLineDoesNotReshuffleOthers() throws {
        let a = try #require(compile("# A\nFirst.\n{x|y|z|w} and {p|q|r|s}.\n", seed: 5).rundown)
        let b = try #require(compile("# A\nA new line.\nFirst, edited.\n{x|y|z|w} and {p|q|r|s}.\n", seed: 5).rundown)
        #expect(a.utterances[1].text == b.utterances[2].text)
    }

    @Test func byteOrderMarkCRLFAndTabsReadLikeCleanText() throws {
        let clean = try String(contentsOfFile: AnchorTestSupportPaths.demo, encoding: .utf8)
        let windows = "\u{FEFF}" + clean.replacingOccurrences(of: "\n", with: "\r\n")
        let oldMac = clean.replacingOccurrences(of: "\n", with: "\r")
        let a = try #require(compile(clean, seed: 3).rundown)
        #expect(try #require(compile(windows, seed: 3).rundown) == a)
        #expect(try #require(compile(oldMac, seed: 3).rundown) == a)
        let tabbed = try #require(say("\t[price]\tOnly\t*$5*\ttonight"))
        #expect(tabbed.text == "Only $5 tonight")
        #expect(tabbed.intent == .price)
        #expect(tabbed.substring(tabbed.stress[0]) == "$5")
    }

    @Test func commentsBulletsAndOpeningLinesAreHandled() throws {
        let text = """
        ---
        title: Opening act
        ---
        Before any heading.
        <!-- a comment
        spanning lines --> 
        # Real
        - A bulleted line.
        <!-- one line -->
        * Another one.
        """
        let r = try #require(compile(text).rundown)
        #expect(r.segments.map(\.title) == ["Opening act", "Real"])
        #expect(r.utterances.map(\.text) == ["Before any heading.", "A bulleted line.", "Another one."])
    }

    @Test func headingsMayHoldVariablesAndStress() throws {
        let r = try #require(compile("---\nproducts: tag:gift\n---\n# Deal: *{product.name}* ##\n@each product\nHi.").rundown)
        #expect(r.segments.map(\.title) == ["Deal: Cloud Pillow Sleep Mask", "Deal: Ember Ceramic Tea Set"])
    }

    @Test func withoutACatalogVariablesAreCheckedForShapeOnly() throws {
        let result = compile("---\nproducts: all\n---\n# {product.name}\n@each product\nOnly {product.price} for {products.count}!", catalog: nil)
        let r = try #require(result.rundown)
        #expect(r.utterances[0].text == "Only {product.price} for {products.count}!")
        #expect(result.diagnostics.map(\.severity) == [.warning])
        #expect(compile("# A\n@each product\n{product.nmae}", catalog: nil).diagnostics.hasErrors)
    }

    @Test func aDrawIsACueWithItsKeywordAndTime() throws {
        let r = try #require(compile("# A\nHi.\n@draw \"好运 来\" 2m\n@draw lucky 45s\nBye.").rundown)
        let cues = r.segments[0].events.compactMap { e -> Cue? in if case .cue(let c, _) = e { return c } else { return nil } }
        #expect(cues == [.draw(keyword: "好运 来", seconds: 120), .draw(keyword: "lucky", seconds: 45)])
        let json = try JSONEncoder().encode(cues[0])
        #expect(try JSONDecoder().decode(Cue.self, from: json) == cues[0])
    }

    @Test func linkCuesNameTheProduct() throws {
        let r = try #require(compile("---\nproducts: [NIGHT-103]\n---\n# A\n@each product\n@show price\n@link\nTap it.").rundown)
        let cues: [Cue] = r.segments[0].events.compactMap { if case .cue(let c, _) = $0 { return c } else { return nil } }
        #expect(cues == [Cue.show(.price), Cue.link(sku: "NIGHT-103")])
    }

    @Test func titleDefaultsToTheFileName() throws {
        let r = try #require(ScriptCompiler.parse("# A\nHi", path: "Scripts/late-deals.show.md").compile(catalog: nil).rundown)
        #expect(r.title == "late-deals")
        #expect(r.voice == "en-us")
        #expect(r.seed == 1)
    }
}

@Suite struct ModalParticleTests {
    let header = "language: zh\nproducts: [YE-201, YE-202, YE-203]\nstyle:\n  particles: 1.0"

    @Test func particlesGoAtClauseEndsInTheAuthorsWordsOnly() throws {
        let text = "---\n\(header)\n---\n# {product.name}\n@each product\n这款{product.name}，今晚只要{product.price}，真的很好用，库存{product.stock}件"
        let r = try #require(compile(text, seed: 9).rundown)
        for (u, sku) in zip(r.utterances, ["YE-201", "YE-202", "YE-203"]) {
            let p = try #require(demoCatalog.product(sku: sku))
            let scalars = Array(u.text.unicodeScalars)
            #expect(!u.particles.isEmpty && u.particles.count <= 2, "\(u.text)")
            // Catalog values stay whole: the name and the price appear unbroken.
            #expect(u.text.contains(p.name))
            #expect(u.text.contains(p.price.formatted(for: .zh)))
            for span in u.particles {
                let before = scalars[span.start - 1]
                #expect(Language.isHan(before), "particle after '\(before)' in \(u.text)")
                #expect(!(span.end < scalars.count && ("0"..."9").contains(scalars[span.end])), "particle before a digit in \(u.text)")
            }
            // After the product name (a catalog value) no particle may follow.
            #expect(!u.text.contains(p.name + "哦") && !u.text.contains(p.name + "呢"))
        }
    }

    @Test func particlesShiftStressAndCues() throws {
        let u = try #require(say("[cta] 快来*下单*，{pause 200ms}链接在这里", header: "language: zh\nstyle:\n  particles: 1.0", seed: 2))
        #expect(u.particles.count == 2)
        #expect(u.substring(u.stress[0]).hasPrefix("下单"))
        let pause = try #require(u.cues.first)
        #expect(u.substring(TextSpan(start: pause.offset, length: 2)) == "链接")
        for p in u.particles { #expect(["哦", "呀"].contains(u.substring(p))) }
    }

    @Test func plainStyleAndEnglishHaveNone() throws {
        #expect(try #require(say("今晚好开心，谢谢大家", header: "language: zh\nstyle: plain")).particles.isEmpty)
        #expect(try #require(say("Thanks everyone, see you tonight", header: "style: lively")).particles.isEmpty)
    }

    @Test func rateControlsHowOften() {
        let lines = (0..<200).map { "第\($0)行说得很好，大家都很开心" }.joined(separator: "\n")
        func count(_ style: String) -> Int {
            compile("---\nlanguage: zh\nstyle: \(style)\n---\n# A\n" + lines).rundown?.utterances.reduce(0) { $0 + $1.particles.count } ?? -1
        }
        let warm = count("warm"), lively = count("lively")
        #expect(count("plain") == 0)
        #expect(warm > 40 && warm < lively, "warm \(warm), lively \(lively)")
    }
}

/// Paths of shipped example shows.
enum AnchorTestSupportPaths {
    static var demo: String { TestSupport.path("Scripts/demo.show.md") }
}
