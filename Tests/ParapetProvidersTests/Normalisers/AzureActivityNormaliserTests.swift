import Foundation
import ParapetCore
import Testing
@testable import ParapetProviders

@Suite struct AzureActivityNormaliserTests {
    let eventHub = "azure/activity-events.jsonl"
    let rest = "azure/activity-events-rest-api.jsonl"

    @Test func eventHubRecordWithUpperCaseNamesFindsItsSubscription() throws {
        let record = try Samples.record(eventHub, line: 1)
        let event = try Normaliser.normalise(record)
        #expect(event.account == "8a4de8b5-095c-47d0-a96f-a75130c61d53")
        #expect(event.operation == "MICROSOFT.EVENTHUB/NAMESPACES/AUTHORIZATIONRULES/LISTKEYS/ACTION")
        #expect(event.serviceName == "MICROSOFT.EVENTHUB")
        #expect(event.region == "global")
        #expect(event.time == ISO8601.date(from: "2019-10-24T00:13:46.3554259Z"))
        #expect(event.outcome == .unknown)  // resultType "Start"
        #expect(event.readOnly == false)  // …/action
        #expect(event.sourceIP == "81.2.69.144")
        #expect(event.actor == AuditEvent.Actor(
            uid: "8a4de8b5-095c-47d0-a96f-a75130c61d53", type: "ServicePrincipal", name: nil))
        #expect(event.resources == [record["resourceId"]!.stringValue!])
        #expect(event.eventID.hasPrefix("azh-") && event.eventID.count == 36)
    }

    @Test func hashedIDsAreStableAndSeparateRecordsThatDiffer() throws {
        let records = try Samples.lines(eventHub).map(\.record)
        let ids = try records.map { try Normaliser.normalise($0).eventID }
        #expect(try records.map { try Normaliser.normalise($0).eventID } == ids)
        // The 208 records all differ somewhere (11 only outside correlationId/operation/resource/
        // result/time), so each has its own id; a record re-serialised with other spacing keeps it.
        #expect(Set(ids).count == 208)
        let respaced = try JSONValue(parsing: "{\n  " + records[0].serialized().dropFirst())
        #expect(try Normaliser.normalise(respaced).eventID == ids[0])
    }

    @Test func tenantLevelRecordUsesTheTenantAsAccount() throws {
        let event = try Normaliser.normalise(try Samples.record(eventHub, line: 6))
        #expect(event.account == "tenants/ffffffff-aaaa-bbbb-cccc-dddddddddddd")
        #expect(event.region == "West Europe")
        #expect(event.outcome == .success)
    }

    @Test func userCallerCarriesUPNAndObjectID() throws {
        let event = try Normaliser.normalise(try Samples.record(eventHub, line: 10))
        #expect(event.account == "s1")
        #expect(event.readOnly == false)
        #expect(event.actor.type == "ServicePrincipal")  // evidence.principalType wins over the UPN
        #expect(event.actor.uid == "123abc45-8211-44e3-95xq-85137af64708")
        #expect(event.outcome == .success)
    }

    @Test func restEventUsesEventDataIDAndLocalizedValues() throws {
        let event = try Normaliser.normalise(try Samples.record(rest, line: 8))
        #expect(event.eventID == "44ade6b4-3813-45e6-ae27-7420a95fa2f8")
        #expect(event.account == "089bd33f-d4ec-47fe-8ba5-0753aa5c5b33")
        #expect(event.operation == "microsoft.support/supporttickets/write")
        #expect(event.serviceName == "microsoft.support")
        #expect(event.time == ISO8601.date(from: "2015-01-21T22:14:26.9792776Z"))
        #expect(event.actor == AuditEvent.Actor(uid: "2468adf0-8211-44e3-95xq-85137af64708", type: "User", name: "admin@contoso.com"))
        #expect(event.sourceIP == "192.168.35.115")
        #expect(event.outcome == .success)
        #expect(event.readOnly == false)
    }

    @Test func restEventWithPlaceholderSubscriptionStillHasAnAccount() throws {
        let event = try Normaliser.normalise(try Samples.record(rest, line: 1))
        #expect(event.account == "<subscription id>")
        #expect(event.actor.name == "rob@contoso.com")
        #expect(event.sourceIP == "111.111.1.111")  // from the ipaddr claim
    }

    @Test(arguments: [
        ("2007-01-09T09:41:00", 1_168_335_660.0),
        ("2007-01-09T09:41:00.22Z", 1_168_335_660.22),
        ("2007-01-09T09:41:00.6816663Z", 1_168_335_660.6816663),
        ("2007-01-09T09:41:00.535404056Z", 1_168_335_660.535404056),
        ("2007-01-09T09:41:00.992099+00:00", 1_168_335_660.992099),
        ("2007-01-09T11:41:00+02:00", 1_168_335_660.0),
    ])
    func unambiguousTimeSpellingsAreAccepted(text: String, epoch: Double) throws {
        let date = try AzureTime.date(from: text, field: "time")
        #expect(abs(date.timeIntervalSince1970 - epoch) < 0.000_01)
    }

    @Test(arguments: ["01/09/2007 09:41:00", "1/9/2007 09:41:00", "01/09/2007 09:41:00 AM", "1/9/2007 9:41:00 AM",
                      "1/9/2007 10:41:00 AM +01:00"])
    func usStyleTimeSpellingsAreRejectedAsAmbiguous(text: String) {
        let error = #expect(throws: NormaliseError.self) { try AzureTime.date(from: text, field: "time") }
        #expect(error?.reason.contains("field 'time' is not an unambiguous timestamp") == true)
    }

    @Test func everyEdgeCaseTimeIsEitherParsedOrRejectedWithTheField() throws {
        var parsed = 0
        for (_, record) in try Samples.lines("azure/activity-time-format-edge-cases.jsonl") {
            if (try? AzureTime.date(from: record["time"]!.stringValue!, field: "time")) != nil { parsed += 1 }
        }
        #expect(parsed == 6)
    }

    @Test(arguments: [
        (#"{"operationName":"Microsoft.Compute/virtualMachines/write","resourceId":"/subscriptions/s","category":"Administrative"}"#,
         "missing field 'time'"),
        (#"{"operationName":"Microsoft.Compute/virtualMachines/write","resourceId":"/resourceGroups/x","time":"2024-01-01T00:00:00Z"}"#,
         "field 'resourceId' names no subscription: '/resourceGroups/x'"),
        (#"{"eventDataId":"e","eventTimestamp":"2024-01-01T00:00:00Z","subscriptionId":"s"}"#, "missing field 'operationName'"),
    ])
    func brokenRecordsNameTheField(json: String, reason: String) throws {
        #expect(throws: NormaliseError(reason)) { try Normaliser.normalise(try JSONValue(parsing: json)) }
    }
}
