import Foundation
import ParapetCore
import ParapetStore
import Prometheus

/// The daemon's metrics in a Prometheus registry: counters updated as polls and evaluations
/// happen; gauges that come from the database (lag, violations, deliveries) set at scrape time.
public final class DaemonMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let pollDuration: DurationHistogram
    private let evaluationDuration: DurationHistogram

    public init() {
        pollDuration = registry.makeDurationHistogram(
            descriptor: Self.metric("parapet_poll_duration_seconds", "Time to poll one page of a source and store it."),
            buckets: [.milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5), .seconds(30), .seconds(120)])
        evaluationDuration = registry.makeDurationHistogram(
            descriptor: Self.metric("parapet_policy_evaluation_seconds", "Time to evaluate the new events of one page against the policy set."),
            buckets: [.microseconds(100), .milliseconds(1), .milliseconds(10), .milliseconds(100), .seconds(1)])
    }

    /// A metric's full name and help text (no namespace, subsystem or unit suffix of its own).
    private static func metric(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func recordPoll(source: String, duration: Duration, summary: IngestSummary, page: ActivityPage) {
        let labels = [("source", source)]
        registry.makeCounter(descriptor: Self.metric("parapet_polls_total", "Successful polls per source."), labels: labels).increment()
        registry.makeCounter(descriptor: Self.metric("parapet_events_ingested_total", "New events stored per source."), labels: labels)
            .increment(by: Int64(summary.inserted))
        registry.makeCounter(descriptor: Self.metric("parapet_events_duplicate_total", "Events read again (overlap) per source."), labels: labels)
            .increment(by: Int64(summary.duplicates))
        registry.makeCounter(descriptor: Self.metric("parapet_quarantined_records_total", "Records quarantined per source."), labels: labels)
            .increment(by: Int64(summary.quarantined))
        registry.makeCounter(descriptor: Self.metric("parapet_violations_opened_total", "Violations opened."))
            .increment(by: Int64(summary.violationsOpened.count))
        pollDuration.record(duration)
    }

    func recordPollFailure(source: String) {
        registry.makeCounter(descriptor: Self.metric("parapet_poll_errors_total", "Failed polls per source."), labels: [("source", source)]).increment()
    }

    func recordEvaluation(_ duration: Duration) {
        evaluationDuration.record(duration)
    }

    /// Sets the gauges that come from the database, then renders the exposition text.
    public func render(store: Store, now: Date = Date()) -> String {
        if let sources = try? store.sources() {
            for source in sources {
                let labels = [("source", source.id), ("provider", source.provider.rawValue)]
                let lag = source.newestEventAt.map { max(0, now.timeIntervalSince($0)) } ?? -1
                registry.makeGauge(descriptor: Self.metric("parapet_source_lag_seconds", "Now minus the newest event read (-1: none yet)."), labels: labels)
                    .set(to: lag)
                registry.makeGauge(descriptor: Self.metric("parapet_source_healthy", "1 when the last poll succeeded."), labels: labels)
                    .set(to: source.healthy ? 1 : 0)
            }
        }
        if let counts = try? store.counts() {
            registry.makeGauge(descriptor: Self.metric("parapet_events_stored", "Events in the database.")).set(to: Double(counts.events))
            registry.makeGauge(descriptor: Self.metric("parapet_quarantined_records", "Quarantined records in the database."))
                .set(to: Double(counts.quarantined))
            for status in ViolationStatus.allCases {
                registry.makeGauge(descriptor: Self.metric("parapet_violations", "Violations by status."), labels: [("status", status.rawValue)])
                    .set(to: Double(counts.violationsByStatus[status] ?? 0))
            }
            for severity in Severity.allCases {
                registry.makeGauge(descriptor: Self.metric("parapet_violations_by_severity", "Violations by severity."), labels: [("severity", severity.rawValue)])
                    .set(to: Double(counts.violationsBySeverity[severity] ?? 0))
            }
            for state in DeliveryRecord.State.allCases {
                registry.makeGauge(descriptor: Self.metric("parapet_deliveries", "Outbox rows by state (pending, delivered, dead)."), labels: [("state", state.rawValue)])
                    .set(to: Double(counts.deliveriesByState[state] ?? 0))
            }
        }
        return registry.emitToString()
    }
}
