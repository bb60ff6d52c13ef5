import AnchorCore
import AnchorScript
import Testing

@Suite struct IntentTaggerTests {
    static let english: [(String, Intent)] = [
        ("Hello and welcome to the night shop", .greet),
        ("Thank you so much for the follow", .thanks),
        ("Just $19.99 today, down from $30", .price),
        ("That's 40% off the usual price", .price),
        ("Hurry, only a few left and it ends soon", .urgency),
        ("Tap the cart and grab yours", .cta),
        ("This is the softest scarf I own", .introduce),
        ("It is made with organic cotton and lasts for years", .feature),
        ("Next, let's look at something for your kitchen", .transition),
        ("Take your time, no rush at all", .calm),
        ("Who here likes coffee?", .chat),
    ]

    static let chinese: [(String, Intent)] = [
        ("大家好，欢迎来到直播间", .greet),
        ("谢谢大家的关注", .thanks),
        ("今晚只要59元", .price),
        ("赶紧抢，最后十件", .urgency),
        ("点击购物车下单", .cta),
        ("给大家介绍一下这款面膜", .introduce),
        ("含有积雪草，补水保湿效果特别好", .feature),
        ("接下来我们看下一款", .transition),
        ("慢慢挑，不着急", .calm),
        ("你们平时几点睡觉呀？", .chat),
    ]

    @Test(arguments: english)
    func englishLines(_ line: String, _ expected: Intent) {
        let (intent, reason) = IntentTagger().tag(line, language: .en)
        #expect(intent == expected, "\(line) → \(intent) (\(reason))")
        #expect(reason.source == .auto)
        #expect(!reason.explanation.isEmpty)
    }

    @Test(arguments: chinese)
    func chineseLines(_ line: String, _ expected: Intent) {
        let (intent, reason) = IntentTagger().tag(line, language: .zh)
        #expect(intent == expected, "\(line) → \(intent) (\(reason))")
        #expect(reason.source == .auto)
    }

    @Test func reasonsNameTheEvidence() {
        let (_, reason) = IntentTagger().tag("Only $5 tonight", language: .en)
        #expect(reason.explanation.contains("\"$5\" is an amount"))
    }

    @Test func wordsMatchWholeWordsOnly() {
        // "off" is not in "coffee", "hi" is not in "this".
        let (intent, _) = IntentTagger().tag("this coffee smells lovely", language: .en)
        #expect(intent != .price && intent != .greet)
    }

    @Test func fallbackDependsOnTheSegment() {
        let tagger = IntentTagger()
        #expect(tagger.tag("Blue and grey.", language: .en, context: .init(inProductSegment: true)).0 == .feature)
        #expect(tagger.tag("Blue and grey.", language: .en).0 == .chat)
        #expect(tagger.tag("Blue and grey.", language: .en).1.source == .fallback)
    }

    @Test func catalogVariablesCount() {
        let context = IntentTagger.Context(variables: ["product.slot"])
        #expect(IntentTagger().tag("Number 4 in the list.", language: .en, context: context).0 == .cta)
        #expect(IntentTagger().tag("Three, two, one.", language: .en, context: .init(hasCountdown: true)).0 == .urgency)
    }
}
