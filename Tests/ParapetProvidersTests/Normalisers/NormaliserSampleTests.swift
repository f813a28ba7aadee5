import Foundation
import ParapetCore
import Testing
@testable import ParapetProviders

/// Every record of every main sample file normalises with the core fields; the extra and
/// edge-case files never crash a normaliser.
@Suite struct NormaliserSampleTests {
    static let mainFiles: [(file: String, count: Int, feed: Feed, provider: Provider)] = [
        ("aws/cloudtrail-records.jsonl", 377, .cloudtrail, .aws),
        ("gcp/audit-entries.jsonl", 79, .gcpAudit, .gcp),
        ("azure/activity-events.jsonl", 208, .azureActivity, .azure),
        ("azure/activity-events-rest-api.jsonl", 8, .azureActivity, .azure),
    ]

    static let edgeFiles = [
        "aws/cloudtrail-records-extra.jsonl", "aws/eventbridge-cloudtrail-envelopes.jsonl",
        "gcp/audit-entries-extra.jsonl", "azure/activity-events-extra.jsonl",
        "azure/activity-time-format-edge-cases.jsonl",
    ]

    // 2000-01-01 … 2030-01-01: the samples span 2007 (Azure docs) to 2025.
    static let plausibleTimes = Date(timeIntervalSince1970: 946_684_800)...Date(timeIntervalSince1970: 1_893_456_000)

    @Test(arguments: mainFiles.map(\.file))
    func everyMainRecordNormalisesWithItsCoreFields(file: String) throws {
        // Given a main sample file
        let expected = try #require(Self.mainFiles.first { $0.file == file })
        let records = try Samples.lines(file)
        #expect(records.count == expected.count)

        // When every record is normalised
        for (line, record) in records {
            let event: AuditEvent
            do { event = try Normaliser.normalise(record) } catch {
                Issue.record("\(file):\(line): \(error)")
                continue
            }
            // Then each has its feed, a non-empty id, account and operation and a plausible time
            #expect(event.feed == expected.feed, "\(file):\(line)")
            #expect(event.provider == expected.provider, "\(file):\(line)")
            #expect(!event.eventID.isEmpty, "\(file):\(line)")
            #expect(!event.account.isEmpty, "\(file):\(line)")
            #expect(!event.operation.isEmpty, "\(file):\(line)")
            #expect(Self.plausibleTimes.contains(event.time), "\(file):\(line): \(event.time)")
            #expect(event.raw == record, "\(file):\(line)")
        }
    }

    @Test(arguments: mainFiles.map(\.file))
    func detectFeedRecognisesEveryMainRecord(file: String) throws {
        let expected = try #require(Self.mainFiles.first { $0.file == file })
        for (line, record) in try Samples.lines(file) {
            #expect(Normaliser.detectFeed(record) == expected.feed, "\(file):\(line)")
        }
    }

    @Test(arguments: edgeFiles)
    func edgeRecordsNormaliseOrThrowANamedReason(file: String) throws {
        // Given the extra/edge-case records, when each is normalised
        var normalised = 0, rejected = 0
        for (line, record) in try Samples.lines(file) {
            do {
                let event = try Normaliser.normalise(record)
                #expect(!event.eventID.isEmpty && !event.account.isEmpty && !event.operation.isEmpty, "\(file):\(line)")
                normalised += 1
            } catch let error as NormaliseError {
                // Then a rejection says which field (or shape) was wrong
                #expect(error.reason.contains("field") || error.reason.contains("shape") || error.reason.contains("record"),
                        "\(file):\(line): \(error.reason)")
                rejected += 1
            }
        }
        #expect(normalised + rejected > 0)
    }

    @Test func edgeFileOutcomesAreStable() throws {
        // The counts pin today's behaviour on the edge files, so a regression shows up as a change.
        func tally(_ file: String) throws -> (ok: Int, rejected: Int) {
            var ok = 0, rejected = 0
            for (_, record) in try Samples.lines(file) {
                if (try? Normaliser.normalise(record)) != nil { ok += 1 } else { rejected += 1 }
            }
            return (ok, rejected)
        }
        let timeFormats = try tally("azure/activity-time-format-edge-cases.jsonl")
        // These records have only time and category: none is an Activity Log record.
        #expect(timeFormats.ok == 0 && timeFormats.rejected == 11)
        let envelopes = try tally("aws/eventbridge-cloudtrail-envelopes.jsonl")
        // Two envelopes carry real values and three real times with "..." ids; ten use "..." for eventTime.
        #expect(envelopes.ok == 5 && envelopes.rejected == 10)
    }
}
