import Foundation
import ParapetCore
import ParapetStore

/// Violation queries over a populated store: fills a database with violations (through
/// `Store.ingest`, as the daemon writes them) and times `Store.violations(filter)`.
public enum QueryBenchmark {
    /// Writes `count` violations, one per generated event, spread over the policies of the
    /// generator's policy set and the teams of its accounts, in pages of `pageSize`.
    public static func populate(store: Store, generator: EventGenerator, seed: UInt64, count: Int, pageSize: Int = 1_000) throws {
        var stream = generator.stream(seed: seed)
        let directory = AccountDirectory(configured: generator.accounts.all)
        let policies = generator.configuration.policySet.policies
        guard !policies.isEmpty else { throw BenchError("the query benchmark needs at least one policy") }
        var rng = BenchRandom(seed: seed ^ 0x9E1)
        var written = 0
        let now = Date()
        while written < count {
            let size = min(pageSize, count - written)
            var events: [AuditEvent] = []
            events.reserveCapacity(size)
            for _ in 0..<size { events.append(try stream.nextEvent()) }
            var findings: [Finding] = []
            for event in events {
                let policy = policies[Int(rng.next() % UInt64(policies.count))]
                let context = directory.context(for: event)
                let resource = "\(event.resources.first ?? event.operation)#\(event.eventID.prefix(8))"
                let info = ViolationDocument.PolicyInfo(id: policy.id, title: policy.title, severity: policy.severity,
                                                        controls: policy.controls, remediation: policy.remediation)
                let data = ViolationDocument.make(policy: info, event: event, context: context, resource: resource,
                                                  instance: "bench", status: .open)
                findings.append(Finding(kind: .violation, policyID: policy.id, policyTitle: policy.title, severity: policy.severity,
                                        event: event.key, resource: resource, routes: ["log"], data: data))
            }
            let page = ActivityPage(events: events, cursor: Cursor(String(written + size)))
            _ = try store.ingest(sourceID: "bench:query", provider: .aws, page: page, now: now, groupWindow: 3600) { _ in findings }
            written += size
        }
    }

    /// The median, fastest and slowest of `runs` timings of `store.violations(filter)`, and how
    /// many violations it returned.
    public static func measure(store: Store, filter: ViolationFilter, runs: Int) throws -> (median: Double, min: Double, max: Double, rows: Int) {
        var timings: [Double] = []
        var rows = 0
        let clock = ContinuousClock()
        for _ in 0..<max(1, runs) {
            let started = clock.now
            rows = try store.violations(filter).count
            timings.append((clock.now - started).seconds)
        }
        timings.sort()
        return (timings[timings.count / 2], timings.first!, timings.last!, rows)
    }
}
