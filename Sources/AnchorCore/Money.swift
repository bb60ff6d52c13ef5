/// An amount of money in minor units (cents, fen), so prices are never rounded by floating point.
public struct Money: Sendable, Hashable, Codable, Comparable {
    public var minorUnits: Int64
    /// ISO 4217 code, upper case (`USD`, `CNY`).
    public var currency: String

    public init(minorUnits: Int64, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency.uppercased()
    }

    /// Rounds a decimal amount (as read from JSON or CSV) to minor units.
    public init?(amount: Double, currency: String) {
        guard amount.isFinite, amount >= 0, amount < 1e13 else { return nil }
        self.init(minorUnits: Int64((amount * 100).rounded()), currency: currency)
    }

    public var amount: Double { Double(minorUnits) / 100 }

    public static func < (a: Money, b: Money) -> Bool { a.minorUnits < b.minorUnits }

    public enum Style: Sendable { case spoken, display }

    /// Per-language formatting: in English `$29.90`, `$59`, `59 yuan`; in Chinese spoken
    /// `59元`, `18.5元`, `29.9美元`; the display style (cards, overlays) is `¥59`, `$29.90`.
    public func formatted(for language: Language, style: Style = .spoken) -> String {
        let whole = minorUnits / 100, cents = minorUnits % 100
        let twoDecimals = cents == 0 ? "\(whole)" : "\(whole).\(cents < 10 ? "0" : "")\(cents)"
        let trimmed = cents == 0 ? "\(whole)" : (cents % 10 == 0 ? "\(whole).\(cents / 10)" : twoDecimals)
        let symbol = Self.symbols[currency]
        if style == .display || language == .en {
            if let symbol { return symbol + twoDecimals }
            if language == .en, let name = Self.englishNames[currency] { return "\(twoDecimals) \(name)" }
            return "\(twoDecimals) \(currency)"
        }
        if let name = Self.chineseNames[currency] { return trimmed + name }
        return "\(trimmed) \(currency)"
    }

    private static let symbols = ["USD": "$", "CNY": "¥", "RMB": "¥", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$", "TWD": "NT$"]
    private static let englishNames = ["CHF": "francs", "KRW": "won", "INR": "rupees"]
    private static let chineseNames = ["CNY": "元", "RMB": "元", "USD": "美元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元", "HKD": "港币", "TWD": "新台币"]
}
