import AnchorChat
import AnchorConnect
import AnchorEngine
import AnchorMedia
import AnchorStream
import ArgumentParser
import Foundation

/// Starts platform chat connectors into a show's chat, each reporting its state to the log
/// and the status board.
public enum Connectors {
    public static func start(_ specs: [ConnectorSpec], into live: LiveChat, board: Board? = nil,
                      credentials: ConnectorCredentials = .environment(), report: @escaping @Sendable (String) -> Void) throws {
        for spec in specs {
            let connector = try make(spec, credentials: credentials)
            board?.attachConnector(connector.description) { connector.summary }
            Task { await connector.run(onEvent: { live.post($0) }, onState: { report("chat from \(connector): \($0)") }) }
        }
    }

    /// The connector for `spec`; a platform that cannot work without a secret it lacks is a usage error.
    public static func make(_ spec: ConnectorSpec, credentials: ConnectorCredentials) throws -> Connector {
        if spec.platform == .youtube, credentials.youtubeKey == nil, credentials.youtubeToken == nil {
            throw ValidationError("\(spec): YouTube needs an API key in $ANCHOR_YOUTUBE_KEY (or an OAuth token in $ANCHOR_YOUTUBE_TOKEN)")
        }
        if let warning = quotaWarning(spec) { Terminal.error("warning: \(warning)") }
        return try spec.connector(credentials: credentials)
    }

    /// YouTube's default quota (10 000 units a day, 5 a poll) at the polling floor, when it
    /// runs out within a day.
    public static func quotaWarning(_ spec: ConnectorSpec, unitsPerDay: Double = 10_000) -> String? {
        guard spec.platform == .youtube else { return nil }
        let every = spec.every ?? 5
        let hours = unitsPerDay / 5 * every / 3_600
        guard hours < 24 else { return nil }
        return String(format: "%@: polling every %g s spends YouTube's default daily quota (10 000 units) in %.1f hours; 'every: 45s' lasts the day", spec.description, every, hours)
    }
}
