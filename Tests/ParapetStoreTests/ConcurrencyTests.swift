import Foundation
import ParapetCore
import ParapetStore
import Testing

@Suite("Concurrent access")
struct ConcurrencyTests {
    @Test("a reader sees the last commit while a write transaction is open (WAL)")
    func readDuringWrite() throws {
        // Given a daemon store with one committed page, and a CLI store on the same file
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let daemon = try Store(path: path)
        _ = try daemon.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page([Fixtures.event("e1")], cursor: "c1"),
                              now: Fixtures.t0, groupWindow: 0) { _ in [] }
        let cli = try Store.openReadOnly(path: path)

        // When the CLI reads while the daemon's next ingest transaction is open (inside its evaluation)
        var eventsDuringWrite: Int?
        var cursorDuringWrite: Cursor?
        _ = try daemon.ingest(sourceID: Fixtures.source, provider: .aws,
                              page: Fixtures.page((2...500).map { Fixtures.event("e\($0)", at: Double($0)) }, cursor: "c2"),
                              now: Fixtures.t0, groupWindow: 0) { _ in
            eventsDuringWrite = try cli.counts().events
            cursorDuringWrite = try cli.cursor(for: Fixtures.source)
            return []
        }

        // Then the reader was not blocked and saw the last committed state, and sees the new one after commit
        #expect(eventsDuringWrite == 1 && cursorDuringWrite == Cursor("c1"))
        #expect(try cli.counts().events == 500)
        #expect(try cli.cursor(for: Fixtures.source) == Cursor("c2"))
    }

    @Test("concurrent async ingests of many sources are serialised without loss")
    func concurrentIngests() async throws {
        let store = try Store.temporary()
        defer { Fixtures.removeDatabase(at: store.path) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for source in 0..<8 {
                group.addTask {
                    for pageIndex in 0..<5 {
                        let events = (0..<20).map { Fixtures.event("s\(source)-p\(pageIndex)-e\($0)", at: Double($0)) }
                        _ = try await store.ingest(sourceID: "source-\(source)", provider: .aws,
                                                   page: Fixtures.page(events, cursor: "p\(pageIndex)"),
                                                   now: Fixtures.t0, groupWindow: 0, evaluate: { _ in [] })
                    }
                }
            }
            try await group.waitForAll()
        }
        let counts = try store.counts()
        #expect(counts.events == 8 * 5 * 20 && counts.sources == 8)
        #expect(try store.sources().allSatisfy { $0.cursor == Cursor("p4") && $0.eventsInserted == 100 })
    }
}
