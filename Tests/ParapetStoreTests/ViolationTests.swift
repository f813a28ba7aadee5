import Foundation
import ParapetCore
import ParapetStore
import Testing

@Suite("Violations: grouping, suppression, resolution, lifecycle")
struct ViolationTests {
    let store: Store

    init() throws {
        store = try Store.inMemory()
    }

    @discardableResult
    func ingest(_ events: [AuditEvent], window: TimeInterval = 3600, now: Date = Fixtures.t0) throws -> IngestSummary {
        try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page(events, cursor: "c"), now: now,
                         groupWindow: window, evaluate: Fixtures.trailPolicy)
    }

    @Test("repeats within the window group into one violation; after it a new one opens")
    func grouping() throws {
        // Given a violation opened at t0
        let opened = try ingest([Fixtures.event("e1")])
        #expect(opened.violationsOpened.count == 1 && opened.deliveriesCreated == 2)

        // When the same policy fires on the same resource 30 and 80 minutes later, then 5 hours later
        let repeats = try ingest([Fixtures.event("e2", at: 1800), Fixtures.event("e3", at: 4800)])
        let later = try ingest([Fixtures.event("e4", at: 5 * 3600)])

        // Then the repeats are occurrences of the first (no new delivery), the late one is new
        #expect(repeats.grouped == 2 && repeats.violationsOpened.isEmpty && repeats.deliveriesCreated == 0)
        #expect(later.violationsOpened.count == 1 && later.deliveriesCreated == 2)
        let detail = try store.violation(id: opened.violationsOpened[0])
        #expect(detail.violation.occurrences == 3)
        #expect(detail.violation.lastSeenAt == Fixtures.t0.addingTimeInterval(4800))
        #expect(detail.events.map(\.eventID) == ["e1", "e2", "e3"])
        #expect(try store.counts().violationsByStatus[.open] == 2)
    }

    @Test("a new violation carries the account's team, name and OU from the finding's data")
    func accountColumns() throws {
        let summary = try ingest([Fixtures.event("e1")])
        let violation = try #require(summary.newViolations.first)
        #expect(violation.team == "payments" && violation.accountName == "payments-prod" && violation.ou == "Root/Workloads/Prod")
        #expect(violation.routes == ["payments", "governance"])
        #expect(try store.violation(id: violation.id).violation == violation)
        #expect(violation.document["violation"]?["id"] == .number(Double(violation.id)))
        #expect(violation.document["policy"]?["id"] == "parapet-aws-cloudtrail-tamper")
    }

    @Test("a suppressed finding is recorded with its note and sends nothing")
    func suppression() throws {
        let summary = try ingest([Fixtures.event("e1", operation: "BreakGlassStop")])
        #expect(summary.suppressed == 1 && summary.violationsOpened.isEmpty && summary.deliveriesCreated == 0)
        let violation = try #require(try store.violations(ViolationFilter(status: .suppressed)).first)
        #expect(violation.note == "break-glass runbook (owner platform, GOV-12)")
        #expect(try store.dueDeliveries(now: Fixtures.t0, limit: 10).isEmpty)
    }

    @Test("a resolving event closes earlier open violations and queues resolved deliveries")
    func resolution() throws {
        // Given two open violations of the same trail (outside each other's window)
        let first = try ingest([Fixtures.event("e1")], window: 60)
        let second = try ingest([Fixtures.event("e2", at: 7200)], window: 60)

        // When StartLogging arrives between them
        let resolving = try ingest([Fixtures.event("r1", at: 3600, operation: "StartLogging")], window: 60,
                                   now: Fixtures.t0.addingTimeInterval(9000))

        // Then only the violation that began before it is resolved, with one resolved delivery per route
        #expect(resolving.resolvedViolationIDs == first.violationsOpened)
        #expect(resolving.deliveriesCreated == 2)
        let resolved = try store.violation(id: first.violationsOpened[0])
        #expect(resolved.violation.status == .resolved && resolved.violation.resolvedByEvent == "r1")
        #expect(resolved.deliveries.map(\.kind) == [.opened, .opened, .resolved, .resolved])
        #expect(try store.violation(id: second.violationsOpened[0]).violation.status == .open)
    }

    @Test("findings of one page are applied in event time order")
    func pageOrder() throws {
        // A page delivers the StartLogging before the StopLogging it follows in time
        let summary = try ingest([Fixtures.event("r1", at: 600, operation: "StartLogging"), Fixtures.event("e1")])
        #expect(summary.violationsOpened.count == 1 && summary.resolvedViolationIDs == summary.violationsOpened)
    }

    @Test("ack, reopen and resolve follow the lifecycle; resolve notifies the original routes")
    func lifecycle() throws {
        let id = try #require(try ingest([Fixtures.event("e1")]).violationsOpened.first)
        let now = Fixtures.t0.addingTimeInterval(600)

        let acked = try store.setStatus(violationID: id, status: .acknowledged, by: "alice", note: "looking", now: now)
        #expect(acked.status == .acknowledged && acked.statusBy == "alice" && acked.statusNote == "looking")
        #expect(throws: StoreError.self) {
            try store.setStatus(violationID: id, status: .acknowledged, by: "alice", note: nil, now: now)
        }
        let resolved = try store.setStatus(violationID: id, status: .resolved, by: "bob", note: "trail restarted", now: now)
        #expect(resolved.status == .resolved && resolved.statusChangedAt == now)
        let resolvedRoutes = try store.violation(id: id).deliveries.filter { $0.kind == .resolved }.map(\.route).sorted()
        #expect(resolvedRoutes == ["governance", "payments"])

        let error = try #require(throws: StoreError.self) {
            try store.setStatus(violationID: id, status: .open, by: "bob", note: nil, now: now)
        }
        #expect(error.code == .invalidTransition)
        let unknown = try #require(throws: StoreError.self) {
            try store.setStatus(violationID: 999, status: .resolved, by: "bob", note: nil, now: now)
        }
        #expect(unknown.description == "no violation with id 999 — list them with `parapet violations`")
    }
}
