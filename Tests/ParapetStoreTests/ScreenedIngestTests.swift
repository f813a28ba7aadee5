import Foundation
import ParapetCore
@testable import ParapetStore
import Testing

@Suite("Ingest of a screened page: findings evaluated before the transaction")
struct ScreenedIngestTests {
    /// A screened page whose events were all new when screened, each with one violation finding.
    func screenedAsNew(_ events: [AuditEvent], cursor: String = "c1") -> ScreenedPage {
        ScreenedPage(page: Fixtures.page(events, cursor: cursor),
                     findings: events.map { [Fixtures.finding(.violation, for: $0)] })
    }

    func ingest(_ store: Store, _ screened: ScreenedPage, evaluated: Evaluated = Evaluated()) async throws -> IngestSummary {
        try await store.ingest(sourceID: Fixtures.source, provider: .aws, screened: screened, now: Fixtures.t0, groupWindow: 0) { events in
            evaluated.add(events)
            return events.map { Fixtures.finding(.violation, for: $0) }
        }
    }

    @Test("screening tells which events of a page are stored")
    func screeningFindsStoredEvents() async throws {
        // Given a store holding e1
        let store = try Store.inMemory()
        _ = try await ingest(store, screenedAsNew([Fixtures.event("e1")]))

        // When a page of e1, e2 and e1 again is screened
        let stored = try store.storedEvents([Fixtures.event("e1"), Fixtures.event("e2"), Fixtures.event("e1")])

        // Then only the e1s are stored
        #expect(stored == [true, false, true])
    }

    @Test("screened findings are recorded for the events the transaction inserts, without evaluating again")
    func screenedFindingsAreRecorded() async throws {
        let store = try Store.inMemory()
        let evaluated = Evaluated()

        let summary = try await ingest(store, screenedAsNew([Fixtures.event("e1"), Fixtures.event("e2", at: 60)]), evaluated: evaluated)

        #expect(summary.inserted == 2 && summary.duplicates == 0)
        #expect(summary.violationsOpened.count == 2)
        #expect(evaluated.events.isEmpty)
        let violation = try #require(try store.violations(ViolationFilter(policyID: "parapet-aws-cloudtrail-tamper")).last)
        #expect(violation.eventRowID != nil)
        #expect(try store.cursor(for: Fixtures.source)?.rawValue == "c1")
    }

    @Test("findings of an event another writer stored after screening are dropped")
    func raceWithAnotherWriter() async throws {
        // Given a page screened while e1 was not stored
        let store = try Store.inMemory()
        let screened = screenedAsNew([Fixtures.event("e1"), Fixtures.event("e2", at: 60)])

        // When another writer stores e1 (finding nothing) before the page's transaction
        _ = try await store.ingest(sourceID: "other", provider: .aws, page: Fixtures.page([Fixtures.event("e1")], cursor: nil),
                             now: Fixtures.t0, groupWindow: 0) { _ in [] }
        let summary = try await ingest(store, screened)

        // Then e1 is a duplicate and only e2's finding opens a violation, exactly as without screening
        #expect(summary.inserted == 1 && summary.duplicates == 1)
        #expect(summary.newViolations.map(\.eventID) == ["e2"])
        #expect(try store.counts().events == 2)
    }

    @Test("an event screening found stored but that is gone by the transaction is inserted and evaluated")
    func prunedAfterScreening() async throws {
        // Given a page whose e1 was stored when screened (no findings), but is not stored now
        let store = try Store.inMemory()
        let events = [Fixtures.event("e1"), Fixtures.event("e2", at: 60)]
        let screened = ScreenedPage(page: Fixtures.page(events, cursor: "c1"),
                                    findings: [nil, [Fixtures.finding(.violation, for: events[1])]])
        let evaluated = Evaluated()

        // When the page is ingested
        let summary = try await ingest(store, screened, evaluated: evaluated)

        // Then e1 is inserted and evaluated in the transaction, e2 keeps its screened finding
        #expect(summary.inserted == 2)
        #expect(evaluated.events.map(\.eventID) == ["e1"])
        #expect(Set(summary.newViolations.map(\.eventID)) == ["e1", "e2"])
    }

    @Test("an event screened stored that is still stored is a duplicate, not evaluated")
    func storedStaysDuplicate() async throws {
        let store = try Store.inMemory()
        _ = try await ingest(store, screenedAsNew([Fixtures.event("e1")]))
        let evaluated = Evaluated()

        let summary = try await ingest(store, ScreenedPage(page: Fixtures.page([Fixtures.event("e1")], cursor: "c2"), findings: [nil]),
                                       evaluated: evaluated)

        #expect(summary.inserted == 0 && summary.duplicates == 1)
        #expect(evaluated.events.isEmpty)
        #expect(try store.cursor(for: Fixtures.source)?.rawValue == "c2")
    }

    @Test("a repeated event inside a screened page is stored once, its findings recorded once")
    func repeatWithinScreenedPage() async throws {
        let store = try Store.inMemory()

        let summary = try await ingest(store, screenedAsNew([Fixtures.event("e1"), Fixtures.event("e1")]))

        #expect(summary.inserted == 1 && summary.duplicates == 1)
        #expect(summary.violationsOpened.count == 1)
        #expect(try store.violations(ViolationFilter(policyID: "parapet-aws-cloudtrail-tamper")).count == 1)
    }

    @Test("every column of an event is stored as given, and the record as its original text")
    func storedColumns() async throws {
        let store = try Store.inMemory()
        var event = Fixtures.event("e1")
        event.rawText = #"{"eventID":"e1","eventName":"StopLogging","extra":"kept"}"#
        event.readOnly = false
        event.errorCode = "AccessDenied"
        event.errorMessage = "no"
        event.userAgent = "cli"

        _ = try await ingest(store, screenedAsNew([event]))

        let stored = try #require(try store.events(EventFilter()).first)
        #expect(stored.sourceID == Fixtures.source && stored.ingestedAt == Fixtures.t0)
        #expect(stored.event.raw["extra"] == "kept")
        var expected = event
        expected.raw = stored.event.raw
        #expect(stored.event == expected)
    }

    @Test("an original text kept as bytes is stored as its text, an invalid byte repaired")
    func storedOriginalBytes() async throws {
        let store = try Store.inMemory()
        var valid = Fixtures.event("e1")
        valid.setRawText(utf8: Array(#"{"eventID":"e1","eventName":"StopLogging","note":"été"}"#.utf8))
        var invalid = Fixtures.event("e2", at: 60)
        invalid.setRawText(utf8: Array(#"{"eventID":"e2","note":"A"#.utf8) + [0xFF] + Array(#"B"}"#.utf8))

        _ = try await ingest(store, screenedAsNew([valid, invalid]))

        let texts = try store.read("raw texts") { db in try String.fetchAll(db, sql: "SELECT raw FROM event ORDER BY time") }
        #expect(texts == [#"{"eventID":"e1","eventName":"StopLogging","note":"été"}"#, "{\"eventID\":\"e2\",\"note\":\"A\u{FFFD}B\"}"])
    }
}

/// The events an `evaluate` closure was called with.
final class Evaluated: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [AuditEvent] = []
    var events: [AuditEvent] { lock.withLock { seen } }
    func add(_ events: [AuditEvent]) { lock.withLock { seen += events } }
}
