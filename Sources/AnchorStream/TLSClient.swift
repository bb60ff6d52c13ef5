import NIOSSL

extension NIOSSLContext {
    /// A TLS client context with the system's trust store and, when given, the certificates
    /// of a PEM file besides (a private ingest or endpoint): what rtmps:// and https:// share.
    static func client(trusting extraCA: String?) throws -> NIOSSLContext {
        var config = TLSConfiguration.makeClientConfiguration()
        if let extraCA { config.additionalTrustRoots = [.file(extraCA)] }
        return try NIOSSLContext(configuration: config)
    }
}
