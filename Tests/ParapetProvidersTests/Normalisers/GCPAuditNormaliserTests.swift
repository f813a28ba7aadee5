import Foundation
import ParapetCore
import Testing
@testable import ParapetProviders

@Suite struct GCPAuditNormaliserTests {
    let file = "gcp/audit-entries.jsonl"

    @Test func deniedDataAccessCallIsAFailedRead() throws {
        let event = try Normaliser.normalise(try Samples.record(file, line: 4))
        #expect(event.eventID == "yonau3dc2zi")
        #expect(event.account == "elastic-beats")
        #expect(event.region == "global")
        #expect(event.operation == "beta.compute.instances.aggregatedList")
        #expect(event.serviceName == "compute.googleapis.com")
        #expect(event.actor == AuditEvent.Actor(uid: "xxx@xxx.xxx", type: "User", name: "xxx@xxx.xxx"))
        #expect(event.sourceIP == "192.168.1.1")
        #expect(event.outcome == .failure)
        #expect(event.errorCode == "PERMISSION_DENIED")
        #expect(event.errorMessage == "PERMISSION_DENIED")
        #expect(event.readOnly == true)
        #expect(event.resources == ["projects/elastic-beats/global/instances"])
        #expect(event.time == ISO8601.date(from: "2019-12-19T00:44:25.051Z"))
    }

    @Test func theLogsProjectIsTheAccountEvenWhenTheResourceSaysOtherwise() throws {
        // logName projects/foo, resource.labels.project_id elastic-siem
        let event = try Normaliser.normalise(try Samples.record(file, line: 5))
        #expect(event.account == "foo")
        #expect(event.region == "us-central1-a")
        #expect(event.actor.type == "ServiceAccount")
        #expect(event.readOnly == false)  // subjectaccessreviews.create
    }

    @Test func organisationLogsKeepTheirPrefixAndPrivateCallerIPsAreDropped() throws {
        let event = try Normaliser.normalise(try Samples.record(file, line: 19))
        #expect(event.account == "organizations/123456789098")
        #expect(event.sourceIP == nil)  // callerIp "private"
        #expect(event.readOnly == true)  // SearchOrganizations
        #expect(event.outcome == .success)
    }

    @Test func malformedLogNameFallsBackToItsProject() throws {
        let event = try Normaliser.normalise(try Samples.record(file, line: 13))
        #expect(event.account == "project")
        #expect(event.readOnly == false)
    }

    @Test func activityLogEntriesAreWrites() throws {
        let events = try Samples.lines(file).map { try Normaliser.normalise($0.record) }
        let activity = events.filter { $0.raw["logName"]?.stringValue?.hasSuffix("%2Factivity") == true }
        #expect(activity.count == 51)
        #expect(activity.allSatisfy { $0.readOnly == false })
    }

    @Test func structuredCloudEventIsUnwrapped() throws {
        let data = try Data(contentsOf: Samples.url("gcp/cloudevent-structured-example.json"))
        let event = try Normaliser.normalise(try JSONValue(parsing: data))
        #expect(event.feed == .gcpAudit)
        #expect(event.eventID == "1234567")
        #expect(event.account == "test-project")
    }

    @Test(arguments: [
        (#"{"insertId":"a","logName":"projects/p/logs/x","timestamp":"2024-01-01T00:00:00Z"}"#, "missing field 'protoPayload'"),
        (#"{"insertId":"a","logName":"projects/p/logs/x","timestamp":"2024-01-01T00:00:00Z","protoPayload":{}}"#,
         "missing field 'protoPayload.methodName'"),
        (#"{"insertId":"a","logName":"projects/p/logs/x","timestamp":"2022-11-15 20:09","protoPayload":{"methodName":"m"}}"#,
         "field 'timestamp' is not a timestamp: '2022-11-15 20:09'"),
        (#"{"insertId":"a","timestamp":"2024-01-01T00:00:00Z","protoPayload":{"methodName":"m"}}"#,
         "missing field 'logName' (and no 'resource.labels.project_id')"),
    ])
    func brokenEntriesNameTheField(json: String, reason: String) throws {
        #expect(throws: NormaliseError(reason)) { try Normaliser.normalise(try JSONValue(parsing: json)) }
    }

    @Test(arguments: [
        ("projects/elastic-beats/logs/cloudaudit.googleapis.com%2Factivity", "elastic-beats"),
        ("projects/p-1", "p-1"),
        ("organizations/123/logs/cloudaudit.googleapis.com%2Fpolicy", "organizations/123"),
        ("folders/77/logs/x", "folders/77"),
        ("billingAccounts/0A-1B", "billingAccounts/0A-1B"),
        ("projects//logs/x", nil),
        ("projects", nil),
        ("zones/europe-west1-b/logs/x", nil),
        ("projects/prøject/logs/x", "prøject"),
    ] as [(String, String?)])
    func theLogNameGivesTheAccount(logName: String, parent: String?) {
        #expect(GCPAuditNormaliser.logParent(logName) == parent)
    }
}
