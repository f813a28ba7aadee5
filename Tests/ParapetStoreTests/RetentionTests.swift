import Foundation
import ParapetCore
import ParapetStore
import Testing

@Suite("Retention")
struct RetentionTests {
    @Test("pruning old events keeps every violation and its summary")
    func pruneKeepsViolations() throws {
        // Given 30 days of events, one of which opened a violation on day 1
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let store = try Store(path: path)
        let events = (0..<30).map { day in
            Fixtures.event("e\(day)", at: Double(day) * 86_400, operation: day == 1 ? "StopLogging" : "ListBuckets")
        }
        let summary = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page(events, cursor: "c"),
                                       now: Fixtures.t0, groupWindow: 0, evaluate: Fixtures.trailPolicy)
        let id = try #require(summary.violationsOpened.first)

        // When events older than day 10 are pruned, in small batches
        let deleted = try store.prune(eventsOlderThan: Fixtures.t0.addingTimeInterval(10 * 86_400), batchSize: 3)

        // Then exactly those are gone, and the violation stays with its data but without its row
        #expect(deleted == 10)
        #expect(try store.counts().events == 20)
        let detail = try store.violation(id: id)
        #expect(detail.event == nil && detail.violation.eventRowID == nil)
        #expect(detail.violation.eventID == "e1")
        #expect(detail.violation.data["event"]?["id"] == "e1")
        #expect(detail.events.map(\.eventID) == ["e1"] && detail.events.first?.eventRowID == nil)
        #expect(detail.deliveries.count == 2)
    }

    @Test("a pruned event read again does not open a second violation")
    func prunedEventReadAgain() throws {
        let store = try Store.inMemory()
        let page = Fixtures.page([Fixtures.event("e1")], cursor: "c")
        _ = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: page, now: Fixtures.t0, groupWindow: 0,
                             evaluate: Fixtures.trailPolicy)
        try store.prune(eventsOlderThan: Fixtures.t0.addingTimeInterval(1))
        let again = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: page, now: Fixtures.t0, groupWindow: 0,
                                     evaluate: Fixtures.trailPolicy)
        #expect(again.inserted == 1 && again.violationsOpened.isEmpty)
        #expect(try store.counts().violationsByStatus[.open] == 1)
    }
}
