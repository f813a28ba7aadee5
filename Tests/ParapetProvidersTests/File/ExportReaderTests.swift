import Foundation
import ParapetCore
import Testing
@testable import ParapetProviders

@Suite struct ExportReaderTests {
    /// Reads every record of `path`.
    func readAll(_ path: String, feed: Feed? = nil, from position: ExportPosition = .start) throws -> [ExportRecord] {
        let reader = try ExportReader(path: path, feed: feed, from: position)
        var records: [ExportRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    func reasons(_ records: [ExportRecord]) -> [String] {
        records.compactMap { if case .quarantined(let reason, _) = $0.outcome { reason } else { nil } }
    }

    @Test func cloudTrailLogFileYieldsItsRecordsWithTheirIndex() throws {
        let path = Samples.url("aws/s3-logfile-example.json").path
        let records = try readAll(path)
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0.event?.feed == .cloudtrail })
        #expect(records.map(\.location.description) == ["\(path)#0", "\(path)#1"])
    }

    @Test func gzipLogFileYieldsTheSameEventsAsThePlainOne() throws {
        let plain = try readAll(Samples.url("aws/s3-logfile-example.json").path).compactMap(\.event)
        let reader = try ExportReader(path: Samples.url("aws/s3-logfile-example.json.gz").path)
        var gzipped: [AuditEvent] = []
        while let record = try reader.next() { gzipped.append(try #require(record.event)) }
        #expect(reader.isGzip)
        #expect(gzipped == plain)
    }

    @Test func eventsSayWhetherTheirRecordHasDottedKeys() throws {
        // Given two GCP records, one with a label key containing dots
        let directory = try TemporaryDirectory()
        let plain = #"{"logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","insertId":"a","timestamp":"2024-01-01T00:00:00Z","protoPayload":{"methodName":"m","serviceName":"s.googleapis.com"},"resource":{"labels":{"project_id":"p"}}}"#
        let dotted = #"{"logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","insertId":"b","timestamp":"2024-01-01T00:00:00Z","protoPayload":{"methodName":"m","serviceName":"s.googleapis.com"},"labels":{"authorization.k8s.io/decision":"allow"},"resource":{"labels":{"project_id":"p"}}}"#
        let path = try directory.write("audit.jsonl", Data((plain + "\n" + dotted + "\n").utf8))
        // When they are read
        let events = try readAll(path).compactMap { $0.event }
        // Then the reader tells which one has a dotted key (policies then look for such keys)
        #expect(events.map { $0.rawHasDottedKeys } == [false, true])
    }

    @Test func eachEventKeepsItsLineAsItsOriginalTextTrimmed() throws {
        // Given JSON lines: one plain, one with spaces and a carriage return around it, one whose
        // string holds a byte that is not UTF-8
        let directory = try TemporaryDirectory()
        func line(_ id: String, note: [UInt8]) -> [UInt8] {
            Array(#"{"logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","insertId":"\#(id)","timestamp":"2024-01-01T00:00:00Z","protoPayload":{"methodName":"m","serviceName":"s.googleapis.com"},"resource":{"labels":{"project_id":"p"}},"note":""#.utf8)
                + note + Array(#""}"#.utf8)
        }
        let plain = line("a", note: Array("plain".utf8))
        let padded = line("b", note: Array("padded".utf8))
        let invalid = line("c", note: [0x41, 0xFF, 0x42])
        let file = plain + [0x0A] + Array("  ".utf8) + padded + Array(" \r".utf8) + [0x0A] + invalid + [0x0A]
        let path = try directory.write("audit.jsonl", Data(file))
        // When they are read
        let events = try readAll(path).compactMap { $0.event }
        // Then each keeps its line without the surrounding whitespace, the invalid byte repaired
        // when read as text (as the store writes it)
        #expect(events.count == 3)
        #expect(events.map { $0.rawText } == [
            String(decoding: plain, as: UTF8.self), String(decoding: padded, as: UTF8.self), String(decoding: invalid, as: UTF8.self),
        ])
        #expect(events[2].rawText?.contains("A\u{FFFD}B") == true)
        #expect(events[2].withRawTextUTF8 { Array($0) } == Array(String(decoding: invalid, as: UTF8.self).utf8))
    }

    @Test func truncatedGzipIsAnErrorNamingTheFile() throws {
        // Given the sample .json.gz cut in half
        let directory = try TemporaryDirectory()
        let data = try Data(contentsOf: Samples.url("aws/s3-logfile-example.json.gz"))
        let path = try directory.write("cut.json.gz", data.prefix(data.count / 2))

        // When it is read, then the error names the file and says it is truncated
        let error = try #require(throws: ExportError.self) { try readAll(path) }
        #expect(error.path == path)
        #expect(error.reason.contains("truncated gzip"))
        #expect(error.description.hasPrefix(path))
    }

    @Test func aFileTheKernelFailsToReadIsAnErrorNamingTheFileAndTheError() throws {
        // Given a file that opens but whose first read fails (offset 0 of a process's memory is
        // never mapped: read(2) returns EIO)
        let path = "/proc/self/mem"

        // When it is read, then the error names the file and the system's reason
        let error = try #require(throws: ExportError.self) { try readAll(path) }
        #expect(error.path == path)
        #expect(error.reason == "cannot read file: Input/output error")
    }

    @Test func linesAcrossReadChunksAreReadWhole() throws {
        // Given a JSON-lines file of 2.3 read chunks (256 KiB each), its lines crossing chunk ends
        let directory = try TemporaryDirectory()
        let count = 3_000
        let lines = (0..<count).map { i in
            #"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventID":"e\#(i)","eventTime":"2024-01-01T00:00:00Z","recipientAccountId":"123456789012","userAgent":"\#(String(repeating: "x", count: 50 + i % 37))"}"#
        }
        let text = lines.joined(separator: "\n") + "\n"
        #expect(text.utf8.count > 2 * ByteInput.chunkSize)
        let path = try directory.write("many.jsonl", text)

        // When it is read, then every line is one event, in order, with its own text
        let events = try readAll(path).compactMap(\.event)
        #expect(events.map(\.eventID) == (0..<count).map { "e\($0)" })
        #expect(events.map(\.rawText) == lines)
    }

    @Test func concatenatedGzipMembersAreAllRead() throws {
        let directory = try TemporaryDirectory()
        // Two members of a one-line JSON-lines file each: the same log file twice on two lines.
        let oneLine = try gzip(#"{"Records":[{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventID":"e1","eventTime":"2024-01-01T00:00:00Z","recipientAccountId":"1"}]}"# + "\n")
        let path = try directory.write("two.jsonl.gz", oneLine + oneLine)
        let records = try readAll(path)
        #expect(records.compactMap(\.event).map(\.eventID) == ["e1", "e1"])
        #expect(records.map(\.location.line) == [1, 2])
    }

    @Test func lookupEventsResponseYieldsTheEmbeddedRecord() throws {
        let records = try readAll(Samples.url("aws/lookup-events-response-awscli.json").path)
        let event = try #require(records.first?.event)
        #expect(records.count == 1)
        #expect(event.eventID == "654ccbc0-ba0d-486a-9076-dbf7274677a7")
        #expect(event.operation == "ConsoleLogin")
        #expect(event.account == "123456789012")
    }

    @Test func digestFileIsSkippedNotQuarantined() throws {
        let reader = try ExportReader(path: Samples.url("aws/cloudtrail-digest-example.json").path)
        #expect(try reader.next() == nil)
        #expect(reader.skippedDigests == 1)
    }

    @Test func azureRecordsBatchAndRESTPageAreUnpacked() throws {
        let batch = try readAll(Samples.url("azure/eventhub-records-example.json").path)
        #expect(batch.count == 1)
        #expect(batch.first?.event?.feed == .azureActivity)

        let directory = try TemporaryDirectory()
        let values = try String(contentsOf: Samples.url("azure/activity-events-rest-api.jsonl"), encoding: .utf8)
            .split(separator: "\n").joined(separator: ",\n")
        let page = try directory.write("page.json", "{\n\"value\": [\n\(values)\n],\n\"nextLink\": \"https://management.azure.com/next\"\n}\n")
        let records = try readAll(page)
        #expect(records.count == 8)
        #expect(records.compactMap(\.event).count == 8)
        #expect(records.last?.location == RecordLocation(path: page, index: 7))
    }

    @Test func gcpEntriesAsAJSONArrayAndAsJSONLines() throws {
        let lines = try readAll(Samples.url("gcp/audit-entries.jsonl").path)
        #expect(lines.compactMap(\.event).count == 79)

        let directory = try TemporaryDirectory()
        let entries = try String(contentsOf: Samples.url("gcp/audit-entries.jsonl"), encoding: .utf8)
            .split(separator: "\n").joined(separator: ",\n  ")
        let array = try readAll(try directory.write("entries.json", "[\n  \(entries)\n]\n"))
        #expect(array.compactMap(\.event).map(\.eventID) == lines.compactMap(\.event).map(\.eventID))
    }

    @Test func malformedAndUnknownLinesAreQuarantinedAtTheirLine() throws {
        // Given JSON lines with a blank line, a broken line and a record of no known shape
        let directory = try TemporaryDirectory()
        let good = try String(contentsOf: Samples.url("aws/cloudtrail-records.jsonl"), encoding: .utf8)
            .split(separator: "\n").prefix(2).map(String.init)
        let path = try directory.write("mixed.jsonl", [good[0], "", #"{"eventName": "x",,}"#, #"{"hello":"world"}"#, good[1]].joined(separator: "\n") + "\n")

        // When it is read
        let records = try readAll(path)

        // Then the good records are events and the bad ones are quarantined at file:line
        #expect(records.map(\.location.description) == ["\(path):1", "\(path):3", "\(path):4", "\(path):5"])
        #expect(records[0].event != nil && records[3].event != nil)
        let quarantined = reasons(records)
        #expect(quarantined.count == 2)
        #expect(quarantined[0].hasPrefix("invalid JSON at column 19"))
        #expect(quarantined[1].hasPrefix("unknown record shape"))
        if case .quarantined(_, let raw) = records[1].outcome {
            #expect(String(decoding: raw, as: UTF8.self) == #"{"eventName": "x",,}"#)
        }
    }

    @Test func eventBridgeEnvelopesFileNormalisesTheRealOnesAndQuarantinesPlaceholders() throws {
        let records = try readAll(Samples.url("aws/eventbridge-cloudtrail-envelopes.jsonl").path)
        #expect(records.count == 15)
        // 2 envelopes are real; 3 more have real times and "..." ids, which are strings and pass.
        #expect(records.compactMap(\.event).count == 5)
        #expect(reasons(records).allSatisfy { $0.contains("field") })
    }

    @Test func readingResumesFromAPosition() throws {
        // Given a reader stopped after 10 records of the CloudTrail sample
        let path = Samples.url("aws/cloudtrail-records.jsonl").path
        let reader = try ExportReader(path: path)
        for _ in 0..<10 { _ = try reader.next() }
        #expect(reader.position.line == 11)

        // When a new reader starts from its position, it reads the rest and nothing twice
        let rest = try readAll(path, from: reader.position)
        #expect(rest.count == 367)
        #expect(rest.first?.location.line == 11)
    }

    @Test func resumingInsideAOneLineLogFileSkipsTheRecordsDone() throws {
        let directory = try TemporaryDirectory()
        let record = { (id: Int) in
            #"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"e\#(id)","eventTime":"2024-01-01T00:00:00Z","recipientAccountId":"1"}"#
        }
        let path = try directory.write("log.json", #"{"Records":["# + (0..<5).map(record).joined(separator: ",") + "]}")
        let reader = try ExportReader(path: path)
        _ = try reader.next()
        _ = try reader.next()
        let rest = try readAll(path, from: reader.position)
        #expect(rest.compactMap(\.event).map(\.eventID) == ["e2", "e3", "e4"])
        #expect(rest.first?.location.description == "\(path):1#2")
    }

    @Test func prettyDocumentAfterABOMAndBlankLinesResumesByIndex() throws {
        // Given a pretty-printed log file preceded by a byte order mark and a blank line
        let directory = try TemporaryDirectory()
        let sample = try Data(contentsOf: Samples.url("aws/s3-logfile-example-2.json"))
        let path = try directory.write("bom.json", Data([0xEF, 0xBB, 0xBF, 0x0A]) + sample)

        // When one record is read and a new reader resumes from the position
        let reader = try ExportReader(path: path)
        let first = try #require(try reader.next())
        #expect(reader.layout == .document)
        let rest = try readAll(path, from: reader.position)

        // Then the rest are the two other records
        #expect(first.location == RecordLocation(path: path, index: 0))
        #expect(rest.map(\.location.index) == [1, 2])
        #expect(rest.compactMap(\.event).count == 2)
    }

    @Test func brokenDocumentIsAnErrorWithLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("broken.json", "{\n  \"Records\": [\n    {\"a\": }\n  ]\n}\n")
        let error = try #require(throws: ExportError.self) { try readAll(path) }
        #expect(error.reason.hasPrefix("invalid JSON at line 3, column 11"))
    }

    @Test func missingFileIsAnErrorNamingIt() throws {
        let error = try #require(throws: ExportError.self) { try ExportReader(path: "/nonexistent/parapet.json") }
        #expect(error.description == "/nonexistent/parapet.json: cannot open file: No such file or directory")
    }
}

/// Gzip-compresses `text` with the system `gzip` (tests only).
func gzip(_ text: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-c"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
}
