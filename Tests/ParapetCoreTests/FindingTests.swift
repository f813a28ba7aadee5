import Foundation
import Testing
@testable import ParapetCore

@Suite struct FindingTests {
    static func finding() -> Finding {
        Finding(kind: .violation, policyID: "p", policyTitle: "P", severity: .high,
                event: EventKey(provider: .aws, account: "111111111111", eventID: "e-1", time: Date(timeIntervalSince1970: 1_700_000_000)),
                resource: "arn:aws:s3:::bucket", data: ["policy": ["id": "p"], "account": ["id": "111111111111"]])
    }

    @Test func theDataTextIsTheDataSerialisedWhetherComputedAheadOrNot() {
        // Given a finding, and a copy whose data text was computed ahead
        let plain = Self.finding()
        var ahead = plain
        ahead.serializeData()

        // Then both give the serialised data, and they are still equal findings
        #expect(plain.dataText == plain.data.serialized())
        #expect(ahead.dataText == plain.data.serialized())
        #expect(ahead == plain)
        #expect(ahead.hashValue == plain.hashValue)

        // And changing the data after computing its text ahead never leaves a stale text
        ahead.data = ["policy": ["id": "changed"]]
        #expect(ahead.dataText == #"{"policy":{"id":"changed"}}"#)
    }
}
