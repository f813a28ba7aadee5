import Foundation
import ParapetCore
import ParapetStore
import Testing

@Suite("CLI and API queries")
struct QueryTests {
    /// Six violations across two accounts, two teams, two policies and three severities.
    func populated() throws -> Store {
        let store = try Store.inMemory()
        let specs: [(String, String, String, Severity, String?)] = [
            ("v1", "111122223333", "p-trail", .critical, "payments"),
            ("v2", "111122223333", "p-s3", .medium, "payments"),
            ("v3", "444455556666", "p-trail", .high, "platform"),
            ("v4", "444455556666", "p-s3", .low, "platform"),
            ("v5", "444455556666", "p-trail", .critical, "platform"),
            ("v6", "777788889999", "p-trail", .critical, nil),
        ]
        let events = specs.enumerated().map { index, spec in
            Fixtures.event(spec.0, at: Double(index) * 86_400, account: spec.1)
        }
        _ = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page(events, cursor: "c"),
                             now: Fixtures.t0, groupWindow: 0) { events in
            zip(events, specs).map { event, spec in
                Fixtures.finding(.violation, for: event, policy: spec.2, severity: spec.3, team: spec.4)
            }
        }
        return store
    }

    @Test("each filter narrows the list; results are newest first")
    func violationFilters() throws {
        let store = try populated()
        func ids(_ filter: ViolationFilter) throws -> [String] { try store.violations(filter).map(\.eventID) }

        #expect(try ids(ViolationFilter()) == ["v6", "v5", "v4", "v3", "v2", "v1"])
        #expect(try ids(ViolationFilter(team: "payments")) == ["v2", "v1"])
        #expect(try ids(ViolationFilter(account: "444455556666")) == ["v5", "v4", "v3"])
        #expect(try ids(ViolationFilter(policyID: "p-s3")) == ["v4", "v2"])
        #expect(try ids(ViolationFilter(minimumSeverity: .high)) == ["v6", "v5", "v3", "v1"])
        #expect(try ids(ViolationFilter(since: Fixtures.t0.addingTimeInterval(3 * 86_400))) == ["v6", "v5", "v4"])
        #expect(try ids(ViolationFilter(team: "platform", policyID: "p-trail", minimumSeverity: .critical)) == ["v5"])
        #expect(try ids(ViolationFilter(limit: 2)) == ["v6", "v5"])

        let id = try #require(try store.violations(ViolationFilter(limit: 1)).first?.id)
        try store.setStatus(violationID: id, status: .acknowledged, by: "alice", note: nil, now: Fixtures.t0)
        #expect(try ids(ViolationFilter(status: .acknowledged)) == ["v6"])
        #expect(try ids(ViolationFilter(status: .open)).count == 5)
    }

    @Test("a violation's detail has its raw event")
    func detail() throws {
        let store = try populated()
        let id = try #require(try store.violations(ViolationFilter(account: "777788889999")).first?.id)
        let detail = try store.violation(id: id)
        #expect(detail.event?.event.raw["eventID"] == "v6")
        #expect(detail.deliveries.count == 2)
        #expect(throws: StoreError.self) { try store.violation(id: 12_345) }
    }

    @Test("event filters: account, provider, operation, time range")
    func eventFilters() throws {
        let store = try Store.inMemory()
        let events = [
            Fixtures.event("a1", at: 0, account: "111122223333", operation: "StopLogging"),
            Fixtures.event("a2", at: 60, account: "111122223333", operation: "CreateBucket"),
            Fixtures.event("b1", at: 120, account: "my-project", operation: "SetIamPolicy", provider: .gcp),
        ]
        _ = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page(events, cursor: "c"),
                             now: Fixtures.t0, groupWindow: 0) { _ in [] }
        func ids(_ filter: EventFilter) throws -> [String] { try store.events(filter).map(\.event.eventID) }
        #expect(try ids(EventFilter()) == ["b1", "a2", "a1"])
        #expect(try ids(EventFilter(account: "111122223333")) == ["a2", "a1"])
        #expect(try ids(EventFilter(provider: .gcp)) == ["b1"])
        #expect(try ids(EventFilter(operation: "StopLogging")) == ["a1"])
        #expect(try ids(EventFilter(since: Fixtures.t0.addingTimeInterval(60), until: Fixtures.t0.addingTimeInterval(120))) == ["a2"])
        #expect(try ids(EventFilter(limit: 1)) == ["b1"])
    }

    /// 5,000 here: a synchronous test holds one of the cooperative pool's threads while it runs
    /// (20,000 took up to 21 s in a debug build on a busy machine, which starved other suites'
    /// local HTTP servers into timeouts); `parapet bench` measures the query over 100,000.
    @Test("5,000 violations: the filtered list still answers")
    func manyViolations() throws {
        // Given 5,000 violations over 50 accounts, 20 policies and 5 teams, written by the real ingest
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let store = try Store(path: path)
        let severities = Severity.allCases
        let events = (0..<5_000).map { i in
            Fixtures.event("e\(i)", at: Double(i) * 10, account: String(format: "%012d", i % 50))
        }
        let started = Date()
        let summary = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page(events, cursor: "c"),
                                       now: Fixtures.t0, groupWindow: 0) { events in
            events.enumerated().map { i, event in
                Fixtures.finding(.violation, for: event, policy: "policy-\(i % 20)", severity: severities[i % 5],
                                 resource: "r\(i)", routes: [], team: "team-\(i % 5)")
            }
        }
        let ingested = Date().timeIntervalSince(started)
        #expect(summary.violationsOpened.count == 5_000)

        // When the CLI lists with several filters
        let queryStart = Date()
        let filter = ViolationFilter(team: "team-2", minimumSeverity: .medium, status: .open,
                                     since: Fixtures.t0.addingTimeInterval(25_000), limit: 50)
        let listed = try store.violations(filter)
        let queried = Date().timeIntervalSince(queryStart)
        print("ingested 5,000 events and violations in \(ingested) s; filtered list in \(queried * 1000) ms")

        // Then it returns the newest matching ones
        #expect(listed.count == 50)
        #expect(listed.allSatisfy { $0.team == "team-2" && $0.severity >= .medium && $0.status == .open })
        #expect(listed.map(\.firstSeenAt) == listed.map(\.firstSeenAt).sorted(by: >))
        #expect(listed.first?.eventID == "e4997")
    }
}
