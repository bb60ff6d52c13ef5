import Metrics
import Prometheus

/// Prometheus text for `/metrics`: swift-metrics bootstrapped once with a Prometheus registry.
public enum MetricsExport {
    /// Bootstraps the metrics system (once per process) and returns what renders the registry.
    public static func bootstrap() -> @Sendable () -> String {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return {
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
