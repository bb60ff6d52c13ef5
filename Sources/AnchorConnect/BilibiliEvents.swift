import AnchorChat
import Foundation

/// What a Bilibili notification (an operation-5 packet's JSON, `{"cmd": …}`) means for the show:
/// `DANMU_MSG` a message, `SEND_GIFT` and `GUARD_BUY` gifts (value in gold coins, 1 000 = ¥1;
/// free silver gifts are worth 0), `SUPER_CHAT_MESSAGE` a paid message in CNY,
/// `INTERACT_WORD` a join, follow or share, `LIKE_INFO_V3_CLICK` a like. Ids are Bilibili uids.
public enum BilibiliEvents {
    public static func event(json body: [UInt8], now: Double) -> ViewerEvent? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              var cmd = root["cmd"] as? String else { return nil }
        // Commands can carry suffixes: "DANMU_MSG:4:0:2:2:2:0".
        if let colon = cmd.firstIndex(of: ":") { cmd = String(cmd[..<colon]) }
        let data = root["data"] as? [String: Any] ?? [:]
        func make(_ kind: ViewerEvent.Kind, uid: Any?, name: Any?, text: String? = nil, gift: String? = nil, count: Int = 1,
                  value: Double = 0, amount: Double? = nil, currency: String? = nil) -> ViewerEvent? {
            guard let id = Self.id(uid) else { return nil }
            let name = (name as? String).flatMap { $0.isEmpty ? nil : $0 }
            // Gifts and follows carry no words; the room is Chinese-speaking unless a message says otherwise.
            return ViewerEvent(kind: kind, platform: "bilibili", user: id, name: name, text: text, gift: gift, count: count, value: value,
                               amount: amount, currency: currency, language: kind == .message ? nil : "zh", time: now)
        }
        switch cmd {
        case "DANMU_MSG":
            guard let info = root["info"] as? [Any], info.count > 2, let text = info[1] as? String, !text.isEmpty,
                  let user = info[2] as? [Any], user.count > 1 else { return nil }
            return make(.message, uid: user[0], name: user[1], text: text)
        case "SEND_GIFT":
            let n = Self.int(data["num"]).map { max(1, min($0, 100_000)) } ?? 1
            let gold = (data["coin_type"] as? String ?? "gold") == "gold"
            let total = Self.double(data["total_coin"]) ?? (Self.double(data["price"]) ?? 0) * Double(n)
            return make(.gift, uid: data["uid"], name: data["uname"], gift: data["giftName"] as? String ?? "gift", count: n,
                        value: gold ? max(0, total) : 0)
        case "GUARD_BUY":
            let n = Self.int(data["num"]).map { max(1, min($0, 1_000)) } ?? 1
            return make(.gift, uid: data["uid"], name: data["username"], gift: data["gift_name"] as? String ?? "舰长", count: n,
                        value: max(0, (Self.double(data["price"]) ?? 0) * Double(n)))
        case "SUPER_CHAT_MESSAGE":
            guard let price = Self.double(data["price"]), price > 0 else { return nil }
            let info = data["user_info"] as? [String: Any]
            let text = (data["message"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            return make(.paidMessage, uid: data["uid"], name: info?["uname"], text: text, amount: price, currency: "CNY")
        case "INTERACT_WORD":
            switch Self.int(data["msg_type"]) {
            case 1?: return make(.join, uid: data["uid"], name: data["uname"])
            case 2?, 4?, 5?: return make(.follow, uid: data["uid"], name: data["uname"])
            case 3?: return make(.share, uid: data["uid"], name: data["uname"])
            default: return nil
            }
        case "LIKE_INFO_V3_CLICK":
            return make(.like, uid: data["uid"], name: data["uname"])
        default:
            return nil
        }
    }

    /// A uid as text; 0 (a viewer who is not logged in) has no identity to enter a draw with.
    static func id(_ v: Any?) -> String? {
        if let n = int(v), n > 0 { return String(n) }
        if let s = v as? String, !s.isEmpty, s != "0" { return String(s.prefix(64)) }
        return nil
    }

    static func int(_ v: Any?) -> Int? {
        if let n = v as? NSNumber, let d = Double(exactly: n.doubleValue), d.isFinite, abs(d) < 1e15 { return Int(d) }
        if let s = v as? String { return Int(s) }
        return nil
    }

    static func double(_ v: Any?) -> Double? {
        if let n = v as? NSNumber, n.doubleValue.isFinite, abs(n.doubleValue) < 1e12 { return n.doubleValue }
        if let s = v as? String, let d = Double(s), d.isFinite, abs(d) < 1e12 { return d }
        return nil
    }
}
