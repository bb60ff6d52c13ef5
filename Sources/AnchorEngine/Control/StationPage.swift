import Foundation

/// A station's page at `/`: each channel's state, show, picture and health, linked to its console.
enum StationPage {
    static func render(_ channels: [Board.Snapshot]) -> String {
        let rows = channels.map { s -> String in
            let name = StatusPage.escape(s.channel)
            let state = s.failure != nil ? "FAILED" : s.paused ? "PAUSED" : s.onAir ? "ON AIR" : s.ended ? "ENDED" : "OFF AIR"
            let problem = s.readinessProblem() ?? s.healthProblem()
            return """
            <tr><td><a href="/channels/\(name)/"><img src="/channels/\(name)/thumbnail.png" alt="" width="160" height="90"></a></td>
            <td><a href="/channels/\(name)/"><b>\(name)</b></a></td><td><span class="state \(state == "ON AIR" ? "live" : "")">\(state)</span></td>
            <td>\(StatusPage.escape(s.show)) · \(StatusPage.escape(s.segment))</td>
            <td>\(String(format: "%.1f", s.fps)) fps · \(Int(s.videoKbps)) kb/s · \(s.framesSkipped) skipped</td>
            <td>\(s.destinations.map { StatusPage.escape($0.state) }.joined(separator: "<br>"))</td>
            <td>\(problem.map(StatusPage.escape) ?? "ready")</td></tr>
            """
        }.joined(separator: "\n")
        let onAir = channels.filter { $0.onAir }.count
        return """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
        <meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">
        <title>anchor · station · \(onAir)/\(channels.count) on air</title>
        <style>body{font:15px system-ui,sans-serif;margin:2em}td,th{text-align:left;padding:.3em 1em .3em 0;vertical-align:middle}
        .state{display:inline-block;padding:.2em .6em;border-radius:.3em;color:#fff;background:#555}.state.live{background:#c62828}
        img{border:1px solid #ccc;background:#222}@media (prefers-color-scheme: dark){body{background:#111;color:#eee}a{color:#9cf}}</style></head><body>
        <h1>Station: \(onAir) of \(channels.count) channels on air</h1>
        <table><tr><th></th><th>Channel</th><th>State</th><th>Show · segment</th><th>Stream</th><th>Destinations</th><th>Ready</th></tr>
        \(rows)
        </table>
        <p>JSON <a href="/status">/status</a> · <a href="/metrics">/metrics</a> · <a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a></p>
        </body></html>
        """
    }
}
