import Foundation
import ParapetCore
import Testing
@testable import ParapetProviders

@Suite struct FileSourceTests {
    func source(_ path: String, max: Int = 5_000, settle: TimeInterval = 300) -> FileSource {
        FileSource(configuration: .init(path: path, maxRecordsPerPoll: max, settleInterval: settle))
    }

    /// Polls until the source has nothing more right away; returns every page.
    func drain(_ source: FileSource, from cursor: Cursor?) async throws -> [ActivityPage] {
        var pages: [ActivityPage] = []
        var cursor = cursor
        repeat {
            let page = try await source.poll(after: cursor)
            pages.append(page)
            cursor = page.cursor
        } while pages.last!.hasMore && pages.count < 100
        return pages
    }

    func mixedDirectory() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.copySample("aws/s3-logfile-example.json.gz", as: "aws/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A.json.gz")
        try directory.copySample("aws/s3-logfile-example-2.json", as: "aws/2017/smoke.json")
        try directory.copySample("aws/lookup-events-response-awscli.json", as: "aws/lookup.json")
        try directory.copySample("aws/cloudtrail-digest-example.json", as: "aws/digest/digest.json")
        try directory.copySample("gcp/audit-entries.jsonl", as: "gcp/entries.ndjson")
        try directory.copySample("azure/eventhub-records-example.json", as: "azure/batch.json")
        try directory.copySample("azure/activity-events.jsonl", as: "azure/activity.log")
        try directory.write("notes.txt", "not an export")
        try directory.write(".hidden.json", "{ not even json")
        try directory.write(".cache/inside.jsonl", "{ not even json")
        return directory
    }

    @Test func mixedDirectoryIsReadWholeAndInOrder() async throws {
        // Given a directory with every kind of export, a digest, a text file and hidden files
        let directory = try mixedDirectory()

        // When it is polled
        let page = try await source(directory.path).poll(after: nil)

        // Then every record of every export file is an event; nothing is quarantined
        #expect(page.quarantined.map(\.reason) == [])
        // 2 (gz log file) + 3 (smoke log file) + 1 (LookupEvents) + 79 (GCP) + 1 (Azure batch) + 208 (Azure lines)
        let expected = 294
        #expect(page.events.count == expected)
        #expect(page.hasMore == false)
        #expect(Set(page.events.map(\.feed)) == [.cloudtrail, .gcpAudit, .azureActivity])
    }

    @Test func restartWithTheStoredCursorReadsOnlyNewFiles() async throws {
        // Given a directory read once
        let directory = try mixedDirectory()
        let first = try await source(directory.path).poll(after: nil)

        // When a new source instance polls with the stored cursor, nothing is read again
        let again = try await source(directory.path).poll(after: first.cursor)
        #expect(again.events.isEmpty && again.quarantined.isEmpty)

        // And when a file is added, only its records are read
        try directory.copySample("aws/s3-logfile-example.json", as: "aws/new.json")
        let third = try await source(directory.path).poll(after: again.cursor)
        #expect(third.events.count == 2)
        #expect(third.quarantined.isEmpty)
    }

    @Test func appendedLinesAreReadFromTheLastOffset() async throws {
        let directory = try TemporaryDirectory()
        let lines = try String(contentsOf: Samples.url("aws/cloudtrail-records.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        try directory.write("trail.jsonl", lines[0..<3].joined(separator: "\n") + "\n")
        let first = try await source(directory.path).poll(after: nil)
        #expect(first.events.count == 3)

        // When two lines are appended
        try directory.append("trail.jsonl", lines[3..<5].joined(separator: "\n") + "\n")
        let second = try await source(directory.path).poll(after: first.cursor)

        // Then only they are read, with their line numbers
        #expect(second.events.map(\.eventID) == lines[3..<5].map { try! JSONValue(parsing: $0)["eventID"]!.stringValue! })
        #expect(second.quarantined.isEmpty)
    }

    @Test func pagesAreBoundedAndHasMoreSaysSo() async throws {
        let directory = try TemporaryDirectory()
        try directory.copySample("aws/cloudtrail-records.jsonl", as: "trail.jsonl")
        try directory.copySample("aws/s3-logfile-example-2.json", as: "z-smoke.json")
        let pages = try await drain(source(directory.path, max: 100), from: nil)
        #expect(pages.map(\.events.count) == [100, 100, 100, 80])
        #expect(pages.map(\.hasMore) == [true, true, true, false])
        let ids = pages.flatMap(\.events).map(\.eventID)
        #expect(ids.count == 380)
        // The smoke file's records are also in the main file: 380 ids, 377 distinct.
        #expect(Set(ids).count == 377)
    }

    @Test func truncatedGzipIsQuarantinedOnceForThatFileOnly() async throws {
        let directory = try TemporaryDirectory()
        let data = try Data(contentsOf: Samples.url("aws/s3-logfile-example.json.gz"))
        let cut = try directory.write("a-cut.json.gz", data.prefix(data.count - 20))
        try directory.copySample("aws/s3-logfile-example.json", as: "b-ok.json")

        let first = try await source(directory.path).poll(after: nil)
        #expect(first.events.count == 2)
        #expect(first.quarantined.count == 1)
        #expect(first.quarantined.first?.location.hasPrefix(cut) == true)
        #expect(first.quarantined.first?.reason.contains("truncated gzip") == true)

        let second = try await source(directory.path).poll(after: first.cursor)
        #expect(second.quarantined.isEmpty && second.events.isEmpty)
    }

    @Test func malformedLinesAreQuarantinedWithFileAndLine() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("bad.jsonl", "{\"broken\": \n\n{\"also\": broken}\n")
        let page = try await source(directory.path).poll(after: nil)
        #expect(page.quarantined.map(\.location) == ["\(path):1", "\(path):3"])
        #expect(page.quarantined.allSatisfy { $0.reason.hasPrefix("invalid JSON at column") })
        #expect(page.quarantined.first?.raw == Data("{\"broken\": ".utf8))
        #expect(page.quarantined.first?.sourceID == "file:\(directory.path)")
    }

    @Test func aLineStillBeingWrittenWaitsUntilItIsComplete() async throws {
        // Given a JSON-lines file whose last line is half written
        let directory = try TemporaryDirectory()
        let lines = try String(contentsOf: Samples.url("aws/cloudtrail-records.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let half = lines[1].prefix(40)
        try directory.write("live.jsonl", lines[0] + "\n" + half)
        let first = try await source(directory.path).poll(after: nil)
        #expect(first.events.count == 1)
        #expect(first.quarantined.isEmpty)

        // When the writer finishes the line, the record is read whole
        try directory.append("live.jsonl", String(lines[1].dropFirst(40)) + "\n")
        let second = try await source(directory.path).poll(after: first.cursor)
        #expect(second.events.count == 1)
        #expect(second.quarantined.isEmpty)
    }

    @Test func aHalfLineInAFileThatHasSettledIsQuarantined() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("old.jsonl", "{\"eventVersion\":")
        try directory.age("old.jsonl", by: 3600)
        let page = try await source(directory.path).poll(after: nil)
        #expect(page.quarantined.count == 1)
        #expect(page.quarantined.first?.location.hasSuffix("old.jsonl:1") == true)
    }

    @Test func aFileReplacedByAnotherIsReadAgain() async throws {
        let directory = try TemporaryDirectory()
        try directory.copySample("aws/s3-logfile-example.json", as: "log.json")
        let first = try await source(directory.path).poll(after: nil)
        try FileManager.default.removeItem(atPath: directory.path + "/log.json")
        try directory.copySample("aws/s3-logfile-example-2.json", as: "log.json")
        let second = try await source(directory.path).poll(after: first.cursor)
        #expect(second.events.count == 3)
    }

    @Test func aFileDeletedBetweenListingAndReadingIsQuarantinedAlone() async throws {
        // Given a file that was listed but is gone when its turn comes
        let directory = try TemporaryDirectory()
        let gone = directory.path + "/gone.jsonl"
        var page = PageBuilder(sourceID: "test", budget: 10)

        // When the source reads it
        let progress = source(directory.path).read(gone, stored: nil, into: &page)

        // Then it is quarantined with its path and forgotten
        #expect(progress == nil)
        #expect(page.quarantined.map(\.location) == [gone])
        #expect(page.quarantined.first?.reason.contains("disappeared") == true)
    }

    @Test func aMissingPathOrAForeignCursorFailsThePoll() async throws {
        await #expect(throws: FileSourceError.self) { try await source("/nonexistent/exports").poll(after: nil) }
        let directory = try TemporaryDirectory()
        await #expect(throws: FileSourceError.self) { try await source(directory.path).poll(after: Cursor("2024-01-01T00:00:00Z")) }
    }

    @Test func aSingleFileAndAForcedFeedAndDefaultAccount() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("one.log", #"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"x","eventTime":"2024-01-01T00:00:00Z"}"# + "\n")
        let source = FileSource(configuration: .init(path: path, feed: .cloudtrail, account: "444455556666"))
        let page = try await source.poll(after: nil)
        #expect(page.events.map(\.account) == ["444455556666"])
        #expect(source.provider == .aws)
        #expect(source.id == "file:\(path)")
    }
}
