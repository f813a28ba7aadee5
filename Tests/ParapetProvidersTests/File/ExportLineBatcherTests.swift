import Foundation
import ParapetCore
import Testing
@testable import ParapetProviders

/// `ExportLineBatcher` cuts a JSON-lines file into batches that `ExportReader(batch:)` reads
/// exactly as one reader reads the whole file (`parapet replay --jobs`).
@Suite struct ExportLineBatcherTests {
    /// What a record is, in a form to compare: where it is, what it became, its original text.
    struct Seen: Equatable, CustomStringConvertible {
        var location: String
        var event: AuditEvent?
        var rawText: String?
        var dottedKeys: Bool?
        var quarantine: String?
        var quarantinedBytes: Data?

        init(_ record: ExportRecord) {
            location = record.location.description
            switch record.outcome {
            case .event(let event):
                self.event = event
                rawText = event.rawText
                dottedKeys = event.rawHasDottedKeys
            case .quarantined(let reason, let raw):
                quarantine = reason
                quarantinedBytes = raw
            }
        }

        var description: String { "\(location): \(quarantine ?? event?.eventID ?? "?")" }
    }

    func wholeFile(_ path: String) throws -> [Seen] {
        let reader = try ExportReader(path: path)
        var seen: [Seen] = []
        while let record = try reader.next() { seen.append(Seen(record)) }
        return seen
    }

    /// The records of every batch, in order, and how many batches there were.
    func batched(_ path: String, batchBytes: Int) throws -> (records: [Seen], batches: Int, isDocument: Bool) {
        let batcher = try ExportLineBatcher(path: path, batchBytes: batchBytes)
        var seen: [Seen] = []
        var batches = 0
        while let batch = try batcher.next() {
            batches += 1
            #expect(batch.path == path)
            let reader = ExportReader(batch: batch)
            while let record = try reader.next() { seen.append(Seen(record)) }
        }
        return (seen, batches, batcher.isDocument)
    }

    /// JSON lines with what a reader must get right: blank lines, a carriage return, spaces
    /// around a record, a line holding an array of records, a line that is not JSON, a record
    /// that is not any feed's, a key with a dot, a digest line, and a last line with no newline.
    func awkwardLines() throws -> [UInt8] {
        let trail = try String(contentsOf: Samples.url("aws/cloudtrail-records.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let gcp = try String(contentsOf: Samples.url("gcp/audit-entries.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let azure = try String(contentsOf: Samples.url("azure/activity-events.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let dotted = #"{"logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","insertId":"d","timestamp":"2024-01-01T00:00:00Z","protoPayload":{"methodName":"m","serviceName":"s.googleapis.com"},"labels":{"authorization.k8s.io/decision":"allow"},"resource":{"labels":{"project_id":"p"}}}"#
        var lines: [String] = ["", "   "]
        lines += trail.prefix(3)
        lines.append("  " + gcp[0] + " \r")
        lines.append("{\"not\": json")
        lines.append(#"{"hello":"world"}"#)
        lines.append("[" + trail[3] + "," + azure[0] + "]")
        lines.append(dotted)
        lines.append("")
        lines += azure.dropFirst().prefix(4)
        lines += gcp.dropFirst().prefix(4)
        lines.append(#"{"Records":[\#(trail[4])]}"#)
        lines += trail.dropFirst(5)
        var bytes = Array(lines.joined(separator: "\n").utf8)
        bytes += Array(("\n" + gcp.last!).utf8)  // no newline after the last line
        return bytes
    }

    @Test(arguments: [1, 200, 1_500, 8_192, 1 << 20])
    func batchesReadAsTheWholeFile(batchBytes: Int) throws {
        // Given awkward JSON lines
        let directory = try TemporaryDirectory()
        let path = try directory.write("mixed.jsonl", Data(try awkwardLines()))
        let expected = try wholeFile(path)
        #expect(expected.count > 20)
        #expect(expected.contains { $0.quarantine != nil })
        // When the file is cut into batches of about `batchBytes` and each is read on its own
        let (records, batches, isDocument) = try batched(path, batchBytes: batchBytes)
        // Then the records, their line numbers, texts and quarantine reasons are the same
        #expect(!isDocument)
        #expect(records == expected)
        if batchBytes == 1 { #expect(batches > 20) }
        if batchBytes == 1 << 20 { #expect(batches == 1) }
    }

    @Test func aFirstLineLongerThanManyChunksIsOneBatch() throws {
        // Given a first line of 1 MB (a CloudTrail log file written on one line: four chunks of
        // the input), after a blank line, then ordinary lines
        let directory = try TemporaryDirectory()
        let trail = try String(contentsOf: Samples.url("aws/cloudtrail-records.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let records = (trail + trail).joined(separator: ",")
        let text = "\n{\"Records\":[" + records + "]}\n" + trail.prefix(5).joined(separator: "\n") + "\n"
        let path = try directory.write("one-line.json", text)
        // When it is batched at 4 KB, then the blank line and the long line are one batch (the
        // five lines after it, 6 KB, two more) and the records are those of one reader of the
        // whole file (the long line's records at line 2, by index)
        let expected = try wholeFile(path)
        let (records: seen, batches, isDocument) = try batched(path, batchBytes: 4_096)
        #expect(!isDocument)
        #expect(seen == expected)
        #expect(expected.count == 2 * trail.count + 5)
        #expect(expected.first?.location == "\(path):2#0")
        #expect(batches == 3)
    }

    @Test func gzipLinesAreCutAfterDecoding() throws {
        // Given the awkward lines gzip-compressed
        let directory = try TemporaryDirectory()
        let plain = Data(try awkwardLines())
        let path = try directory.write("mixed.jsonl.gz", try GzipTool.compress(plain))
        // When the file is cut into small batches, then they read as the plain file does
        let (records, batches, _) = try batched(path, batchBytes: 2_000)
        let expected = try wholeFile(try directory.write("mixed.jsonl", plain))
        #expect(batches > 3)
        #expect(records.map(\.event) == expected.map(\.event))
        #expect(records.map { $0.location.replacingOccurrences(of: ".gz", with: "") } == expected.map(\.location))
    }

    @Test(arguments: ["aws/s3-logfile-example.json", "aws/lookup-events-response-awscli.json", "azure/eventhub-records-example.json"])
    func aDocumentIsNotCut(sample: String) throws {
        // Given a file that is one JSON document, after blank lines
        let directory = try TemporaryDirectory()
        let document = try Data(contentsOf: Samples.url(sample))
        let path = try directory.write("document.json", Data("\n  \n".utf8) + document)
        // When it is batched, then there is no batch and the batcher says it is a document
        let (records, batches, isDocument) = try batched(path, batchBytes: 16)
        #expect(isDocument)
        #expect(batches == 0)
        #expect(records.isEmpty)
    }

    @Test func aOneLineArrayWithoutNewlineIsADocument() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("array.json", "[{\"a\":1}]")
        let (_, batches, isDocument) = try batched(path, batchBytes: 1)
        #expect(isDocument)
        #expect(batches == 0)
    }

    @Test func blankAndEmptyFilesGiveNoRecords() throws {
        let directory = try TemporaryDirectory()
        for (name, text) in [("empty.jsonl", ""), ("blank.jsonl", "\n \r\n\t\n")] {
            let path = try directory.write(name, text)
            let (records, _, isDocument) = try batched(path, batchBytes: 1)
            #expect(records.isEmpty)
            #expect(!isDocument)
            #expect(try wholeFile(path).isEmpty)
        }
    }

    @Test func aTruncatedGzipFailsAfterTheBatchesBeforeIt() throws {
        // Given many gzip-compressed lines cut short
        let directory = try TemporaryDirectory()
        let trail = try Data(contentsOf: Samples.url("aws/cloudtrail-records.jsonl"))
        var many = Data()
        for _ in 0..<2 { many += trail }  // 1 MB
        let compressed = try GzipTool.compress(many)
        let path = try directory.write("cut.jsonl.gz", compressed.prefix(compressed.count * 3 / 4))
        // When it is batched
        let batcher = try ExportLineBatcher(path: path, batchBytes: 4_096)
        var batches = 0
        let error = try #require(throws: ExportError.self) {
            while try batcher.next() != nil { batches += 1 }
        }
        // Then the batches before the cut come first, and the error names the file
        #expect(batches > 0)
        #expect(error.path == path)
    }
}
