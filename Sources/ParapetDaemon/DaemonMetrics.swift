import Foundation
import ParapetCore
import ParapetStore

/// Counters and gauges for `/metrics`, kept per source.
public actor DaemonMetrics {
    struct SourceCounters {
        var polls = 0
        var pollFailures = 0
        var eventsIngested = 0
        var duplicates = 0
        var quarantined = 0
        var lastPollSeconds = 0.0
        var pollSecondsTotal = 0.0
    }

    private(set) var sources: [String: SourceCounters] = [:]
    private(set) var violationsOpened = 0
    private(set) var evaluationSeconds = 0.0

    public init() {}

    func recordPoll(source: String, duration: Duration, summary: IngestSummary, page: ActivityPage) {
        var counters = sources[source, default: SourceCounters()]
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        counters.polls += 1
        counters.eventsIngested += summary.inserted
        counters.duplicates += summary.duplicates
        counters.quarantined += summary.quarantined
        counters.lastPollSeconds = seconds
        counters.pollSecondsTotal += seconds
        sources[source] = counters
        violationsOpened += summary.violationsOpened.count
    }

    func recordPollFailure(source: String) {
        sources[source, default: SourceCounters()].pollFailures += 1
    }
}
