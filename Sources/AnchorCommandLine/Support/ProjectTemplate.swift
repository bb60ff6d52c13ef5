/// The files `anchor init` writes.
public enum ProjectTemplate {
    public struct File: Sendable { public let path: String; public let contents: String }

    public static let files: [File] = [
        File(path: "Scripts/main.show.md", contents: show),
        File(path: "Assets/catalog.json", contents: catalog),
        File(path: "Scripts/shop.rules.yaml", contents: rules),
        File(path: "Scripts/night.schedule.yaml", contents: schedule),
    ]

    public static let show = """
    ---
    title: My first show
    language: en                     # en | zh
    voice: en-us                     # any espeak-ng voice
    avatar: mika
    catalog: ../Assets/catalog.json  # or import it: anchor catalog import Assets/catalog.json
    products: all                    # or [SKU-1, SKU-2], or tag:NAME
    loop: true
    ---

    <!-- One line is one thing to say. [intent] tags a line; untagged lines are tagged for you. -->

    # Welcome
    [greet] Hi everyone, welcome to the show! {pause 300ms}
    {Make yourself at home|Grab a drink}, we have {products.count} deals today.

    # {product.name}
    @each product
    @show card
    [introduce] This is {product.name}.
    It {product.highlight}.
    [price] Today only *{product.price}*, down from {product.list_price}.
    @link
    [cta] Tap the cart, item number {product.slot}. {countdown 3}

    # See you
    @show none
    [thanks] Thanks for watching, see you soon!

    """

    public static let catalog = """
    {
      "currency": "USD",
      "products": [
        {"sku": "DEMO-1", "name": "Sample Mug", "brand": "Acme", "tags": ["home"],
         "price": 12.00, "list_price": 18.00, "stock": 50, "slot": 1,
         "highlights": ["keeps coffee hot for an hour", "is dishwasher safe"],
         "specs": {"capacity": "350 ml"},
         "faq": [{"q": "Is it microwave safe?", "a": "Yes, it is."}]},
        {"sku": "DEMO-2", "name": "Sample Scarf", "brand": "Acme", "tags": ["apparel"],
         "price": 25.00, "list_price": 40.00, "stock": 20, "slot": 2,
         "highlights": ["is knitted from soft wool", "comes in four colours"],
         "specs": {"material": "wool"},
         "faq": [{"q": "Can I machine wash it?", "a": "Hand wash it in cold water."}]}
      ]
    }

    """

    public static let rules = """
    # Chat rules: what viewers type, and what the host answers (checked by 'anchor check',
    # tried with 'anchor chat ask'). Replies start with an [intent]; {user} is the asker.
    # Questions about prices, stock and products are answered from the catalog already.
    rules:
      - id: greeting
        any: [hi, hello, hey, 你好]
        max_words: 4
        reply:
          en: ["[greet] Hi {user}, welcome in!"]
          zh: ["[greet] 欢迎{user}！"]
        cooldown: 15s
      - id: shipping
        any: [shipping, delivery, 发货, 快递]
        reply:
          en: ["[answer] Shipping times and costs are shown at checkout, {user}."]
          zh: ["[answer] {user}，发货时间和运费在下单页面能看到。"]
        cooldown: 20s

    """

    public static let schedule = """
    # When each show airs: 'anchor schedule plan Scripts/night.schedule.yaml' prints it.
    # Shows are relative to this file; a window whose end is before its start runs past midnight.
    timezone: UTC
    filler: main.show.md
    entries:
      - name: overnight
        days: daily
        from: "22:00"
        to: "06:00"
        show: main.show.md
        loop: true

    """
}
