import Foundation

/// The status page a person looks at: what is on air, a thumbnail, chat and stream health.
/// It reloads itself every 2 seconds; everything shown from a viewer or a file is escaped.
enum StatusPage {
    static func render(_ s: Board.Snapshot, base: String = "") -> String {
        let state = s.paused ? "PAUSED" : s.onAir ? "ON AIR" : "OFF AIR"
        let chat = s.chat.recent.reversed().map { e in
            "<li><b>\(escape(e.user))</b>: \(escape(e.question)) <i>→ \(escape(e.source))</i>\(e.reply.map { " “\(escape($0))”" } ?? "")</li>"
        }.joined()
        return """
        <!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><base href="\(escape(base))/">
        <title>anchor · \(escape(s.channel)) · \(state)</title>
        <style>body{font:15px system-ui,sans-serif;margin:2em;max-width:60em}th{text-align:left;padding-right:1em;vertical-align:top}
        .state{display:inline-block;padding:.2em .6em;border-radius:.3em;color:#fff;background:\(s.onAir && !s.paused ? "#c62828" : "#555")}
        img{border:1px solid #ccc;max-width:100%}</style></head><body>
        <h1><span class="state">\(state)</span> \(escape(s.channel))</h1>
        <img src="thumbnail.png" alt="the current frame" width="320">
        \(table(s))
        <h2>Chat</h2><ul>\(chat.isEmpty ? "<li>no messages yet</li>" : chat)</ul>
        <p>JSON: <a href="status">status</a> · metrics: <a href="/metrics">/metrics</a> · replay index: <a href="replay">replay</a> ·
        POST /chat, /events, /skip, /pause, /resume, /reload</p>
        </body></html>
        """
    }

    /// The status as a table (also the console's summary, readable without JavaScript).
    static func table(_ s: Board.Snapshot) -> String {
        func row(_ k: String, _ v: String) -> String { "<tr><th>\(escape(k))</th><td>\(escape(v))</td></tr>" }
        var rows = [
            row("show", s.show), row("segment", s.segment), row("product", s.productSKU ?? "–"),
            row("position", "pass \(s.position.pass), segment \(s.position.segment + 1), line \(s.position.event + 1)"),
            row("uptime", clock(s.uptimeSeconds)),
            row("video", String(format: "%.0f kb/s, %.1f fps, %d frames sent, %d skipped", s.videoKbps, s.fps, s.framesSent, s.framesSkipped)),
            row("chat", String(format: "%.0f/min; %d received, %d answered, %d blocked, %d shed, %d waiting", s.chatPerMinute, s.chat.received,
                               s.chat.answered, s.chat.blocked, s.chat.shed, s.answersWaiting)),
        ]
        if !s.chat.events.isEmpty {
            let kinds = s.chat.events.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            rows.append(row("viewer events", kinds + String(format: "; %d likes, gifts worth %.0f; %d thanks and paid messages spoken",
                                                            s.chat.likes, s.chat.giftValue, s.chat.thanksSpoken)))
        }
        for d in s.destinations {
            rows.append(row(d.url, "\(d.state); \(d.reconnects) reconnects, dropped \(d.droppedVideo) video frames" + (d.lastError.map { "; last error: \($0)" } ?? "")
                            + (d.webrtc.map { "; \($0)" } ?? "")))
        }
        if let d = s.database, d.error != nil || d.pending > 10 {
            rows.append(row("database", d.error.map { "FAILING (\(d.failedWrites) writes, \(d.pending) waiting): \($0)" } ?? "\(d.pending) writes waiting"))
        }
        if let r = s.recording { rows.append(row("recording", r.error.map { "FAILED: \($0)" } ?? "\(r.file ?? "–") (\(r.files) files)")) }
        for (name, state) in s.connectors.sorted(by: { $0.key < $1.key }) { rows.append(row("chat from", "\(name): \(state)")) }
        if let d = s.draw { rows.append(row("lucky draw", "“\(d.keyword)” open, \(d.entrants) entrants")) }
        for (show, problem) in s.problems.sorted(by: { $0.key < $1.key }) { rows.append(row("not aired", "\(show): \(problem)")) }
        for problem in s.media { rows.append(row("not played", problem)) }
        if let a = s.analytics, a.error != nil || a.dropped > 0 {
            rows.append(row("analytics", a.error.map { "FAILING (\(a.pending) waiting, \(a.dropped) dropped): \($0)" } ?? "\(a.dropped) events dropped"))
        }
        return "<table>\(rows.joined())</table>"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func clock(_ seconds: Double) -> String {
        let t = Int(seconds)
        return String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
    }
}
