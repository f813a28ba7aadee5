import Foundation
import ParapetCore
import Testing
@testable import ParapetProviders

@Suite struct CloudTrailNormaliserTests {
    let file = "aws/cloudtrail-records.jsonl"

    @Test func assumedRoleCallCarriesItsIdentityAndRegion() throws {
        // Given the first sample record (an SSO session assuming a role)
        let event = try Normaliser.normalise(try Samples.record(file, line: 1))

        // Then the fields come from the CloudTrail names
        #expect(event.eventID == "2a17948f-3042-46ec-98e2-62865EXAMPLE")
        #expect(event.time == ISO8601.date(from: "2019-10-02T22:12:29Z"))
        #expect(event.account == "111111111111")
        #expect(event.region == "us-east-2")
        #expect(event.operation == "AssumeRole")
        #expect(event.serviceName == "sts.amazonaws.com")
        #expect(event.actor.type == "AssumedRole")
        #expect(event.actor.uid == "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_SecurityAudit_8df5ccd37b/firstname.lastname@example.com")
        #expect(event.actor.name == "firstname.lastname@example.com")
        #expect(event.sourceIP == "81.2.69.144")
        #expect(event.userAgent?.hasPrefix("aws-cli/1.16.248") == true)
        #expect(event.outcome == .success)
        #expect(event.resources.isEmpty)
        #expect(event.readOnly == nil)  // eventVersion 1.05 has no readOnly, and "Assume" is neither verb
    }

    @Test func grafanaStatus200IsNotAFailureAndTheFirstAddressIsKept() throws {
        let event = try Normaliser.normalise(try Samples.record(file, line: 17))
        #expect(event.outcome == .success)
        #expect(event.errorCode == nil)
        #expect(event.sourceIP == "81.2.69.142")
        #expect(event.readOnly == false)
        #expect(event.actor.type == "SAMLUser")
        #expect(event.actor.name == "some.user@my.company.com")
    }

    @Test func serviceCallerHasNoIPButKeepsTheInvokingService() throws {
        let event = try Normaliser.normalise(try Samples.record(file, line: 333))
        #expect(event.sourceIP == nil)
        #expect(event.actor.type == "AWSService")
        #expect(event.actor.uid == "config.amazonaws.com")
        #expect(event.resources == ["arn:aws:iam::111111111111:role/someRole"])
    }

    @Test func insightsRecordTakesItsOperationFromInsightDetails() throws {
        let event = try Normaliser.normalise(try Samples.record(file, line: 375))
        #expect(event.eventID == "49dfd327-5991-494b-98bf-6fe1eb3e3732")
        #expect(event.operation == "CompleteLifecycleAction")
        #expect(event.serviceName == "autoscaling.amazonaws.com")
        #expect(event.account == "246337027688")
        #expect(event.outcome == .unknown)
        #expect(event.readOnly == nil)
    }

    @Test func recordWithoutRecipientAccountFallsBackToTheIdentityAccount() throws {
        let event = try Normaliser.normalise(try Samples.record(file, line: 376))
        #expect(event.account == "444444444444")
        #expect(event.operation == "CreateImage")
        #expect(event.readOnly == false)  // no readOnly field: the verb decides
    }

    @Test func failedCallsCarryTheirErrorCode() throws {
        let failures = try Samples.lines(file).map { try Normaliser.normalise($0.record) }.filter { $0.outcome == .failure }
        #expect(failures.count == 56)
        #expect(failures.allSatisfy { $0.errorCode?.isEmpty == false })
    }

    @Test func eventBridgeEnvelopeIsUnwrapped() throws {
        // Given an EventBridge envelope whose CloudTrail record has no recipientAccountId
        let envelope = try Samples.record("aws/eventbridge-cloudtrail-envelopes.jsonl", line: 1)
        #expect(Normaliser.detectFeed(envelope) == nil)

        // When it is normalised, the detail is the record and raw
        let event = try Normaliser.normalise(envelope)
        #expect(event.eventID == "c6b72da7-5dc5-43bd-a890-d8a88cb41e15")
        #expect(event.account == "444444444444")
        #expect(event.raw == envelope["detail"])
    }

    @Test(arguments: [
        (#"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"x"}"#, "missing field 'eventTime'"),
        (#"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"x","eventTime":"eventTime"}"#,
         "field 'eventTime' is not a timestamp: 'eventTime'"),
        (#"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2024-01-01T00:00:00Z"}"#,
         "missing field 'eventID'"),
        (#"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"x","eventTime":"2024-01-01T00:00:00Z"}"#,
         "missing field 'recipientAccountId' (and no 'userIdentity.accountId')"),
        (#"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":7,"eventID":"x","eventTime":"2024-01-01T00:00:00Z","recipientAccountId":"1"}"#,
         "field 'eventName' is not a string: 7"),
    ])
    func brokenRecordsNameTheField(json: String, reason: String) throws {
        let record = try JSONValue(parsing: json)
        #expect(throws: NormaliseError(reason)) { try Normaliser.normalise(record) }
    }

    @Test func defaultAccountFillsInForRecordsThatNameNone() throws {
        let record = try JSONValue(parsing: #"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"x","eventTime":"2024-01-01T00:00:00Z"}"#)
        let event = try Normaliser.normalise(record, feed: nil, defaultAccount: "123456789012")
        #expect(event.account == "123456789012")
        #expect(event.readOnly == true)
    }
}
