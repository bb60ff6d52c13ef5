import Foundation
import NIOCore

/// Learning our public address from the STUN servers a WHIP endpoint names (`Link:
/// rel="ice-server"`): a Binding request to each, repeated every 500 ms up to three times; each
/// new mapped address that is not one of our host candidates becomes a server-reflexive
/// candidate (RFC 8445 §5.1.1.2). Value state, driven by the session's event loop.
struct ReflexiveGathering {
    private let servers: [SocketAddress]
    private let hosts: Set<String>
    private var pending: [[UInt8]: SocketAddress] = [:]
    private var rounds = 0
    private var lastRound: NIODeadline?
    private(set) var found: [(host: String, port: Int)] = []

    /// `hosts`: our host candidates as "ip:port" (a mapping equal to one is no new candidate).
    init(servers: [SocketAddress], hosts: [(host: String, port: Int)]) {
        self.servers = servers
        self.hosts = Set(hosts.map { "\($0.host):\($0.port)" })
    }

    /// Requests due now: (datagram, server).
    mutating func requests(at now: NIODeadline) -> [([UInt8], SocketAddress)] {
        guard !servers.isEmpty, found.isEmpty, rounds < 3, lastRound.map({ now - $0 >= .milliseconds(500) }) ?? true else { return [] }
        rounds += 1
        lastRound = now
        return servers.map { server in
            let m = STUNMessage(kind: .bindingRequest)
            pending[m.transaction] = server
            return (m.encoded(integrityKey: nil), server)
        }
    }

    /// A response to one of our requests: the new candidate it reveals, if any.
    mutating func response(_ m: STUNMessage) -> (host: String, port: Int)? {
        guard m.kind == .bindingSuccess, pending.removeValue(forKey: m.transaction) != nil, let mapped = m.xorMappedAddress,
              !hosts.contains("\(mapped.host):\(mapped.port)"), !found.contains(where: { $0 == mapped }) else { return nil }
        found.append(mapped)
        return mapped
    }

    func isOurs(_ m: STUNMessage) -> Bool { pending[m.transaction] != nil }

    /// `stun:host[:port]` addresses (default port 3478); TURN and names that do not resolve are left out.
    static func stunServers(_ urls: [String]) -> (servers: [SocketAddress], ignored: [String]) {
        var servers: [SocketAddress] = [], ignored: [String] = []
        for url in urls {
            let lower = url.lowercased()
            guard lower.hasPrefix("stun:") else { ignored.append(url); continue }
            var rest = String(url.dropFirst(5).prefix { $0 != "?" })
            var port = 3478
            if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]"), let p = Int(rest[rest.index(after: colon)...]) {
                port = p
                rest = String(rest[..<colon])
            }
            let host = rest.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            guard let address = try? SocketAddress.makeAddressResolvingHost(host, port: port) else { ignored.append(url); continue }
            servers.append(address)
        }
        return (servers, ignored)
    }
}
