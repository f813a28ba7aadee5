import Foundation
import ParapetCore
import ParapetTesting
import Testing

/// `parapet run --once` with a `gcp-audit` project and an `azure-activity` subscription, against
/// a fake Google (token endpoint verifying the RS256 assertion, Cloud Logging entries.list) and a
/// fake Azure (Entra ID client-secret token endpoint, Activity Logs with nextLink paging).
@Suite(.serialized) struct CloudGCPAzureTests {
    @Test func auditEntriesAndActivityEventsAreStoredOnceAndJudged() async throws {
        let directory = try TemporaryDirectory(prefix: "parapet-e2e-gcp-azure")
        defer { directory.remove() }
        // Given the sample audit entries in one project and the sample activity events in one subscription
        let start = Date().addingTimeInterval(-3 * 3600)
        let gcp = try CloudRecords.gcpAudit(project: CloudFakeEstate.project, start: start)
        let azure = try CloudRecords.azureActivity(subscription: FakeAzure.subscription, start: start)
        try await CloudFakeEstate.run(in: directory, trails: [:], gcp: gcp, azure: azure) { estate in
            let cli = CloudCLI(directory: directory)
            try cli.write(config: CloudFakeEstate.commonConfiguration + "\n" + estate.providerConfiguration() + """

                accounts:
                  - { provider: gcp, id: \(CloudFakeEstate.project), team: analytics,
                      source: { type: gcp-audit, logs: [activity, system_event, data_access, policy] } }
                  - { provider: azure, id: \(FakeAzure.subscription), team: platform, source: { type: azure-activity } }
                """)

            // When the daemon runs one cycle
            let first = try await cli.runOnce()

            // Then every entry and event is stored once, attributed to its project or subscription
            #expect(first.status == 0, "stdout: \(first.stdout)\nstderr: \(first.stderr)")
            #expect(first.stdout.contains("polled 2 sources: \(gcp.count + azure.count) new events"), "\(first.stdout)")
            let gcpEvents = try await cli.events(["--provider", "gcp"])
            #expect(gcpEvents.rawEventIDs.sorted() == gcp.compactMap { $0.json["insertId"]?.stringValue }.sorted())
            #expect(try await cli.events(["--account", CloudFakeEstate.project]).count == gcp.count)
            let azureEvents = try await cli.events(["--provider", "azure"])
            #expect(azureEvents.rawEventIDs.sorted() == azure.compactMap { $0.json["eventDataId"]?.stringValue }.sorted())
            #expect(try await cli.events(["--account", FakeAzure.subscription]).count == azure.count)
            let sources = try await cli.sources()
            let gcpSource = "gcp/\(CloudFakeEstate.project)/audit"
            let azureSource = "azure/\(FakeAzure.subscription)/activity"
            #expect(Set(sources.keys) == [gcpSource, azureSource])
            #expect(sources.values.allSatisfy { $0["healthy"] == true && $0["quarantined"]?.numberValue == 0 }, "\(sources)")
            #expect(await estate.googleFake.tokenRequests == 1)
            #expect(await estate.azureFake.tokenRequests == 1)

            // And guardrails fire on both clouds, with the configured teams
            let violations = try await cli.violations()
            let onGCP = violations.filter { $0.value(atPath: "account.id") == .string(CloudFakeEstate.project) }
            let onAzure = violations.filter { $0.value(atPath: "account.id") == .string(FakeAzure.subscription) }
            #expect(!onGCP.isEmpty && onGCP.allSatisfy { $0.value(atPath: "account.team") == "analytics" }, "\(violations)")
            #expect(!onAzure.isEmpty && onAzure.allSatisfy { $0.value(atPath: "account.team") == "platform" }, "\(violations)")
            for policy in ["parapet-gcp-service-account-key-created", "parapet-gcp-custom-role-changed"] {
                #expect(violations.of(policy: policy).count == 1, "\(policy) in \(violations)")
            }
            #expect(violations.of(policy: "parapet-azure-nsg-created-or-updated").count == 1, "\(violations)")
            // SigmaHQ's "Azure Network Security Configuration Modified or Deleted", loaded as-is
            #expect(violations.of(policy: "d22b4df4-5a67-4859-a578-8c9a0b5af9df").count == 1, "\(violations)")

            // When it runs again, Then nothing is added
            let second = try await cli.runOnce()
            #expect(second.status == 0, "stderr: \(second.stderr)")
            #expect(second.stdout.contains(": 0 new events"), "\(second.stdout)")
            #expect(try await cli.events().count == gcp.count + azure.count)
            #expect(try await cli.violations().count == violations.count)
        }
    }
}
