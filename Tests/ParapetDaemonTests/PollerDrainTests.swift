import Foundation
import GRDB
import Logging
import ParapetCore
import ParapetTesting
import Testing
@testable import ParapetDaemon
@testable import ParapetStore

@Suite("Draining a source: reading the next page while the current one is stored")
struct PollerDrainTests {
    /// The `StopLogging` policy of the run-once tests.
    static let policy = DaemonRunOnceTests.policy

    /// A daemon over a temporary directory with one policy flagging every `StopLogging`.
    func daemon(_ directory: TemporaryDirectory, sourceExtra: String = "") throws -> Daemon {
        try directory.write("policies/p.yaml", Self.policy)
        let file = try directory.write("parapet.yaml", """
            database: state/p.db
            policies: [policies]
            http: { listen: off }
            teams: { payments: {} }
            accounts:
              - { provider: aws, id: "111122223333", team: payments, source: { type: file, path: logs\(sourceExtra) } }
            """)
        return try Daemon.prepare(configuration: try ParapetConfiguration.load(file: file.path), logger: Logger(label: "test"))
    }

    func storedEventIDs(_ store: Store) throws -> [String] {
        try store.events(EventFilter(limit: 1_000)).map(\.event.eventID).sorted()
    }

    func violationEventIDs(_ store: Store) throws -> [String] {
        try store.violations(ViolationFilter(policyID: "t-stop")).map(\.eventID).sorted()
    }

    @Test("every page is stored once, with its cursor, and duplicates inside and across pages are stored once")
    func drainsEveryPage() async throws {
        // Given a source of three pages with an event repeated inside a page and across pages
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try daemon(directory)
        let source = PagedSource(pages: [["a", "b", "a"], ["b", "c"], ["c", "d"]])

        // When it is drained
        let summary = try await daemon.poller.drain(source)

        // Then each event is stored once, opens one violation, and the cursor is the last page's
        #expect(summary.inserted == 4 && summary.duplicates == 3)
        #expect(summary.violationsOpened.count == 4)
        #expect(try storedEventIDs(daemon.store) == ["a", "b", "c", "d"])
        #expect(try violationEventIDs(daemon.store) == ["a", "b", "c", "d"])
        #expect(try daemon.store.cursor(for: source.id)?.rawValue == "3")
        #expect(source.polledAfter == [nil, "1", "2"])

        // And a second source over the same pages stores and opens nothing
        let again = try await daemon.poller.drain(PagedSource(id: "aws/111122223333/copy", pages: [["a", "b", "a"], ["b", "c"], ["c", "d"]]))
        #expect(again.inserted == 0 && again.duplicates == 7 && again.violationsOpened.isEmpty)
        #expect(try violationEventIDs(daemon.store) == ["a", "b", "c", "d"])
    }

    @Test("a failed write drops the page read ahead; the next drain resumes from the stored cursor")
    func failedWriteDropsReadAhead() async throws {
        // Given a source of three pages, and a database that refuses the event "boom" of the second
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try daemon(directory)
        let source = PagedSource(pages: [["a", "b"], ["c", "boom"], ["d", "e"]])
        try await daemon.store.writer.write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_boom BEFORE INSERT ON event WHEN NEW.event_id = 'boom'
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                """)
        }

        // When the source is drained, the second page's write fails
        await #expect(throws: StoreWriteError.self) { try await daemon.poller.drain(source) }

        // Then only the first page is stored, the cursor is its cursor, and the failure is recorded
        #expect(try storedEventIDs(daemon.store) == ["a", "b"])
        #expect(try violationEventIDs(daemon.store) == ["a", "b"])
        #expect(try daemon.store.cursor(for: source.id)?.rawValue == "1")
        let health = try #require(try daemon.store.sources().first { $0.id == source.id })
        #expect(health.healthy == false && health.consecutiveFailures == 1)

        // When the database accepts it again and the source is drained again
        try await daemon.store.writer.write { db in try db.execute(sql: "DROP TRIGGER refuse_boom") }
        let summary = try await daemon.poller.drain(source)

        // Then it resumes from the stored cursor: nothing lost, nothing doubled
        #expect(source.polledAfter.suffix(2) == ["1", "2"])
        #expect(summary.inserted == 4 && summary.duplicates == 0)
        #expect(try storedEventIDs(daemon.store) == ["a", "b", "boom", "c", "d", "e"])
        #expect(try violationEventIDs(daemon.store) == ["a", "b", "boom", "c", "d", "e"])
        #expect(try daemon.store.cursor(for: source.id)?.rawValue == "3")
        #expect(try daemon.store.sources().first { $0.id == source.id }?.healthy == true)
    }

    @Test("a drain reads no further than maxPages")
    func stopsAtMaxPages() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try daemon(directory)
        let source = PagedSource(pages: [["a"], ["b"], ["c"]])

        let summary = try await daemon.poller.drain(source, maxPages: 2)

        #expect(summary.inserted == 2)
        #expect(source.polledAfter == [nil, "1"])
        #expect(try daemon.store.cursor(for: source.id)?.rawValue == "2")
    }

    @Test("a daemon turn of a few pages says whether the source has more, and the next turn goes on from there")
    func turnOfPagesReportsHasMore() async throws {
        // Given a source of five pages
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try daemon(directory)
        let source = PagedSource(pages: [["a"], ["b"], ["c"], ["d"], ["e"]])

        // When it is polled for turns of at most two pages
        let first = try await daemon.poller.pollPages(source, maxPages: 2)
        let second = try await daemon.poller.pollPages(source, maxPages: 2)
        let third = try await daemon.poller.pollPages(source, maxPages: 2)

        // Then each turn stores its pages and says whether more remain
        #expect(first.summary.inserted == 2 && first.hasMore)
        #expect(second.summary.inserted == 2 && second.hasMore)
        #expect(third.summary.inserted == 1 && !third.hasMore)
        #expect(source.polledAfter == [nil, "1", "2", "3", "4"])
        #expect(try storedEventIDs(daemon.store) == ["a", "b", "c", "d", "e"])
        #expect(try daemon.store.cursor(for: source.id)?.rawValue == "5")
    }

    @Test("a file source's records_per_poll bounds each page; a turn of pages stores them all in order")
    func recordsPerPollBoundsThePage() async throws {
        // Given a file of 250 records and a file source reading at most 100 per poll
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let lines = (0..<250).map { DaemonRunOnceTests().record(String(format: "e%03d", $0), $0 % 50 == 0 ? "StopLogging" : "DescribeTrails") }
        try directory.write("logs/a.jsonl", lines.joined(separator: "\n") + "\n")
        let daemon = try daemon(directory, sourceExtra: ", records_per_poll: 100")
        let source = try #require(daemon.sources.first)

        // When one poll reads a page, Then it holds 100 records and says there is more
        let page = try await source.poll(after: nil)
        #expect(page.events.count == 100 && page.hasMore)

        // When the daemon takes a turn of up to four pages, Then three pages store all 250 events
        let turn = try await daemon.poller.pollPages(source, maxPages: 4)
        #expect(turn.summary.inserted == 250 && !turn.hasMore)
        #expect(turn.summary.violationsOpened.count == 1 && turn.summary.grouped == 4)
        #expect(try daemon.store.events(EventFilter(limit: 1_000)).count == 250)
    }

    @Test("many sources drained at once all finish, each event stored once")
    func manySourcesAtOnce() async throws {
        // Given 256 sources of three pages each, far more than the store's reader connections and the
        // cooperative threads together
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try daemon(directory)
        let sources = (0..<256).map { n in
            PagedSource(id: "aws/111122223333/paged-\(n)", pages: [["s\(n)-a", "s\(n)-b"], ["s\(n)-c"], ["s\(n)-d"]])
        }

        // When they are all drained concurrently
        let inserted = try await withThrowingTaskGroup(of: Int.self) { group in
            for source in sources { group.addTask { try await daemon.poller.drain(source).inserted } }
            return try await group.reduce(0, +)
        }

        // Then every event is stored once
        #expect(inserted == 256 * 4)
        #expect(try daemon.store.events(EventFilter(limit: 2_000)).count == 256 * 4)
    }
}
