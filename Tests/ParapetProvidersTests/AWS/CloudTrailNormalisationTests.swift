import Foundation
import ParapetCore
import Testing

@testable import ParapetProviders

/// These depend on the real CloudTrail normaliser (ParapetProviders/Normalisers); they are
/// disabled while the normaliser is the stub that always throws, and run once it lands.
@Suite(.enabled(if: NormaliserStatus.isImplemented, "needs the CloudTrail normaliser"))
struct CloudTrailNormalisationTests {
    @Test func everyRecordOfALogFileBecomesAnEventOfItsAccount() throws {
        // Given the records of a log file re-addressed to one account
        let file = try TrailFiles.file(account: "111122223333", region: "eu-west-1", tag: "n")
        let records = try JSONValue(parsing: file.data)["Records"]?.arrayValue ?? []
        let batch = CloudTrailBatch(records: records.enumerated().map {
            CloudTrailRawRecord(record: $0.element, location: "s3://b/k#\($0.offset)", account: "111122223333")
        }, cursor: Cursor("c"))

        // When the batch becomes a page
        let page = batch.page(sourceID: "aws/s3/b/cloudtrail")

        // Then every record is an event with the CloudTrail id and recipient account, nothing quarantined
        #expect(page.quarantined.isEmpty)
        #expect(page.events.map(\.eventID) == file.eventIDs)
        #expect(page.events.allSatisfy { $0.account == "111122223333" && $0.provider == .aws })
        #expect(page.cursor == Cursor("c"))
    }

    @Test func aRecordTheNormaliserRejectsIsQuarantinedWithItsLocation() {
        let batch = CloudTrailBatch(records: [CloudTrailRawRecord(record: ["unexpected": true], location: "s3://b/k#0", account: nil)],
                                    cursor: nil)
        let page = batch.page(sourceID: "src")
        #expect(page.events.isEmpty)
        #expect(page.quarantined.first?.location == "s3://b/k#0")
    }
}

enum NormaliserStatus {
    /// False while `Normaliser.normalise` is the stub.
    static var isImplemented: Bool {
        do {
            _ = try Normaliser.normalise(["eventID": "x-1", "eventTime": "2024-01-01T00:00:00Z", "eventName": "GetObject",
                                          "eventSource": "s3.amazonaws.com", "recipientAccountId": "111122223333"], feed: .cloudtrail)
            return true
        } catch {
            return !"\(error)".contains("not implemented")
        }
    }
}
