import Foundation
import ParapetCore
import ParapetStore
import Testing

@Suite("Ingest: nothing lost, nothing doubled")
struct IngestTests {
    @Test("every column of an event is stored as it was: texts, times, and read-only true, false or unknown")
    func columnsRoundTrip() throws {
        // Given events that are read-only, not read-only and not known to be either, at fractional times
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let store = try Store(path: path)
        var events = [Fixtures.event("e1", at: 0.125), Fixtures.event("e2", at: 60.5), Fixtures.event("e3", at: 120.75)]
        events[0].readOnly = true
        events[1].readOnly = false
        events[2].readOnly = nil
        events[2].errorCode = "AccessDenied"

        // When they are stored and read back
        _ = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page(events, cursor: "c1"),
                             now: Fixtures.t0.addingTimeInterval(999.5), groupWindow: 0) { _ in [] }
        let stored = try store.events(EventFilter()).reversed().map(\.event)

        // Then each is the event that was ingested
        #expect(stored == events)
        #expect(stored.map(\.readOnly) == [true, false, nil])
        #expect(stored.map(\.time) == events.map(\.time))
        #expect(try store.events(EventFilter()).allSatisfy { $0.ingestedAt == Fixtures.t0.addingTimeInterval(999.5) })
    }

    @Test("the same page twice inserts nothing the second time and evaluates nothing")
    func samePageTwice() throws {
        // Given a store and a page of three events
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let store = try Store(path: path)
        let page = Fixtures.page([Fixtures.event("e1"), Fixtures.event("e2", at: 60), Fixtures.event("e3", at: 120)], cursor: "c1")

        // When it is ingested twice
        let first = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: page, now: Fixtures.t0, groupWindow: 0) { _ in [] }
        var evaluatedAgain: [AuditEvent] = []
        let second = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: page, now: Fixtures.t0, groupWindow: 0) {
            evaluatedAgain = $0
            return []
        }

        // Then the second ingest stored and evaluated nothing
        #expect(first.inserted == 3 && first.duplicates == 0)
        #expect(second.inserted == 0 && second.duplicates == 3)
        #expect(evaluatedAgain.isEmpty)
        #expect(try store.counts().events == 3)
        let source = try #require(try store.sources().first)
        #expect(source.eventsRead == 6 && source.eventsInserted == 3)
    }

    @Test("a repeated event inside one page is stored once")
    func repeatWithinPage() throws {
        let store = try Store.inMemory()
        let page = Fixtures.page([Fixtures.event("e1"), Fixtures.event("e1")], cursor: "c1")
        var evaluated: [AuditEvent] = []
        let summary = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: page, now: Fixtures.t0, groupWindow: 0) {
            evaluated = $0
            return []
        }
        #expect(summary.inserted == 1 && summary.duplicates == 1)
        #expect(evaluated.map(\.eventID) == ["e1"])
    }

    @Test("a throwing evaluation commits nothing: no events, no cursor, no violations")
    func rollbackOnThrow() throws {
        // Given a store that already committed page 1
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let store = try Store(path: path)
        _ = try store.ingest(sourceID: Fixtures.source, provider: .aws,
                             page: Fixtures.page([Fixtures.event("e1")], cursor: "c1"), now: Fixtures.t0, groupWindow: 0,
                             evaluate: Fixtures.trailPolicy)

        // When page 2's evaluation throws after producing findings
        #expect(throws: PolicyCrash.self) {
            try store.ingest(sourceID: Fixtures.source, provider: .aws,
                             page: Fixtures.page([Fixtures.event("e2", at: 3600)], cursor: "c2",
                                                 quarantined: [QuarantinedRecord(sourceID: Fixtures.source, location: "p2#1", reason: "bad", raw: Data("x".utf8))]),
                             now: Fixtures.t0, groupWindow: 0) { _ in throw PolicyCrash() }
        }

        // Then the store is exactly as page 1 left it
        #expect(try store.cursor(for: Fixtures.source) == Cursor("c1"))
        let counts = try store.counts()
        #expect(counts.events == 1 && counts.quarantined == 0)
        #expect(counts.violationsByStatus[.open] == 1)
        #expect(counts.deliveriesByState[.pending] == 2)
    }

    @Test("a crash between transactions, then re-reading the overlap, loses and doubles nothing")
    func crashAndReopen() throws {
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let page1 = Fixtures.page((1...5).map { Fixtures.event("e\($0)", at: Double($0) * 3600) }, cursor: "c1")
        let page2 = Fixtures.page((4...9).map { Fixtures.event("e\($0)", at: Double($0) * 3600) }, cursor: "c2")

        // Given a daemon that committed page 1 and was abandoned without closing the database
        // (its connections stay open and its WAL is not checkpointed)
        let crashed = try Store(path: path)
        _ = try crashed.ingest(sourceID: Fixtures.source, provider: .aws, page: page1, now: Fixtures.t0, groupWindow: 0,
                               evaluate: Fixtures.trailPolicy)

        // When a new process re-reads page 1 (the overlap) and then page 2
        let restarted = try Store(path: path)
        #expect(try restarted.cursor(for: Fixtures.source) == Cursor("c1"))
        let again = try restarted.ingest(sourceID: Fixtures.source, provider: .aws, page: page1, now: Fixtures.t0,
                                         groupWindow: 0, evaluate: Fixtures.trailPolicy)
        let next = try restarted.ingest(sourceID: Fixtures.source, provider: .aws, page: page2, now: Fixtures.t0,
                                        groupWindow: 0, evaluate: Fixtures.trailPolicy)

        // Then every event, violation and delivery exists exactly once
        #expect(again.inserted == 0 && again.violationsOpened.isEmpty)
        #expect(next.inserted == 4 && next.duplicates == 2)
        let counts = try restarted.counts()
        #expect(counts.events == 9)
        #expect(counts.violationsByStatus[.open] == 9)
        #expect(counts.deliveriesByState[.pending] == 18)
        #expect(try restarted.cursor(for: Fixtures.source) == Cursor("c2"))
        withExtendedLifetime(crashed) {}
    }

    @Test("a page without a cursor keeps the stored one; a failure never moves it")
    func cursorAndHealth() throws {
        let store = try Store.inMemory()
        _ = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page([Fixtures.event("e1")], cursor: "c1"),
                             now: Fixtures.t0, groupWindow: 0) { _ in [] }
        try store.recordFailure(sourceID: Fixtures.source, provider: .aws, error: "AccessDenied: not authorized",
                                now: Fixtures.t0.addingTimeInterval(60))
        try store.recordFailure(sourceID: Fixtures.source, provider: .aws, error: "AccessDenied: not authorized",
                                now: Fixtures.t0.addingTimeInterval(120))
        var source = try #require(try store.sources().first)
        #expect(source.cursor == Cursor("c1"))
        #expect(!source.healthy && source.consecutiveFailures == 2 && source.lastError == "AccessDenied: not authorized")

        _ = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page([], cursor: nil),
                             now: Fixtures.t0.addingTimeInterval(180), groupWindow: 0) { _ in [] }
        source = try #require(try store.sources().first)
        #expect(source.cursor == Cursor("c1"))
        #expect(source.healthy && source.consecutiveFailures == 0 && source.lastError == nil)
        #expect(source.newestEventAt == Fixtures.t0)
        #expect(source.lastSuccessAt == Fixtures.t0.addingTimeInterval(180))
    }

    @Test("quarantined records are stored once per location and counted per source")
    func quarantine() throws {
        let store = try Store.inMemory()
        let bad = QuarantinedRecord(sourceID: Fixtures.source, location: "trail.json:12", reason: "missing eventID",
                                    raw: Data(#"{"eventName":"X"}"#.utf8), receivedAt: Fixtures.t0)
        let page = Fixtures.page([Fixtures.event("e1")], cursor: "c1", quarantined: [bad])
        let first = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: page, now: Fixtures.t0, groupWindow: 0) { _ in [] }
        let second = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: page, now: Fixtures.t0, groupWindow: 0) { _ in [] }
        #expect(first.quarantined == 1 && second.quarantined == 0)
        #expect(try store.sources().first?.quarantined == 1)
        let stored = try #require(try store.quarantined(sourceID: Fixtures.source).first)
        #expect(stored.location == "trail.json:12" && stored.reason == "missing eventID" && stored.raw == bad.raw)
    }

    @Test("real CloudTrail records round-trip with their raw record")
    func sampleRoundTrip() throws {
        let store = try Store.inMemory()
        let events = try Fixtures.sampleCloudTrailEvents()
        #expect(events.count > 100)
        let summary = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page(events, cursor: "end"),
                                       now: Fixtures.t0, groupWindow: 0) { _ in [] }
        #expect(summary.inserted + summary.duplicates == events.count)
        let stored = try store.events(EventFilter(limit: 1_000))
        #expect(stored.count == summary.inserted)
        let byKey = Dictionary(events.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for record in stored {
            #expect(record.event == byKey[record.event.key])
        }
    }

    @Test("the async ingest commits like the synchronous one")
    func asyncIngest() async throws {
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let store = try Store(path: path)
        let summary = try await store.ingest(sourceID: Fixtures.source, provider: .aws,
                                             page: Fixtures.page([Fixtures.event("e1")], cursor: "c1"),
                                             now: Fixtures.t0, groupWindow: 0, evaluate: { Fixtures.trailPolicy($0) })
        #expect(summary.violationsOpened.count == 1 && summary.deliveriesCreated == 2)
        #expect(try store.cursor(for: Fixtures.source) == Cursor("c1"))
    }
}
