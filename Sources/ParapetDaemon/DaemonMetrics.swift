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
            name: "parapet_poll_duration_seconds",
            buckets: [.milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5), .seconds(30), .seconds(120)],
            help: "Time to poll one page of a source and store it.")
        evaluationDuration = registry.makeDurationHistogram(
            name: "parapet_policy_evaluation_seconds",
            buckets: [.microseconds(100), .milliseconds(1), .milliseconds(10), .milliseconds(100), .seconds(1)],
            help: "Time to evaluate the new events of one page against the policy set.")
    }

    func recordPoll(source: String, duration: Duration, summary: IngestSummary, page: ActivityPage) {
        let labels = [("source", source)]
        registry.makeCounter(name: "parapet_polls_total", labels: labels, help: "Successful polls per source.").increment()
        registry.makeCounter(name: "parapet_events_ingested_total", labels: labels, help: "New events stored per source.")
            .increment(by: Int64(summary.inserted))
        registry.makeCounter(name: "parapet_events_duplicate_total", labels: labels, help: "Events read again (overlap) per source.")
            .increment(by: Int64(summary.duplicates))
        registry.makeCounter(name: "parapet_quarantined_records_total", labels: labels, help: "Records quarantined per source.")
            .increment(by: Int64(summary.quarantined))
        registry.makeCounter(name: "parapet_violations_opened_total", help: "Violations opened.")
            .increment(by: Int64(summary.violationsOpened.count))
        pollDuration.record(duration)
    }

    func recordPollFailure(source: String) {
        registry.makeCounter(name: "parapet_poll_errors_total", labels: [("source", source)], help: "Failed polls per source.").increment()
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
                registry.makeGauge(name: "parapet_source_lag_seconds", labels: labels, help: "Now minus the newest event read (-1: none yet).")
                    .set(to: lag)
                registry.makeGauge(name: "parapet_source_healthy", labels: labels, help: "1 when the last poll succeeded.")
                    .set(to: source.healthy ? 1 : 0)
            }
        }
        if let counts = try? store.counts() {
            registry.makeGauge(name: "parapet_events_stored", help: "Events in the database.").set(to: Double(counts.events))
            registry.makeGauge(name: "parapet_quarantined_records", help: "Quarantined records in the database.")
                .set(to: Double(counts.quarantined))
            for status in ViolationStatus.allCases {
                registry.makeGauge(name: "parapet_violations", labels: [("status", status.rawValue)], help: "Violations by status.")
                    .set(to: Double(counts.violationsByStatus[status] ?? 0))
            }
            for severity in Severity.allCases {
                registry.makeGauge(name: "parapet_violations_by_severity", labels: [("severity", severity.rawValue)], help: "Violations by severity.")
                    .set(to: Double(counts.violationsBySeverity[severity] ?? 0))
            }
            for state in DeliveryRecord.State.allCases {
                registry.makeGauge(name: "parapet_deliveries", labels: [("state", state.rawValue)], help: "Outbox rows by state (pending, delivered, dead).")
                    .set(to: Double(counts.deliveriesByState[state] ?? 0))
            }
        }
        return registry.emitToString()
    }
}
