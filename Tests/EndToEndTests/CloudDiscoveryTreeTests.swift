import Foundation
import ParapetCore
import ParapetTesting
import Testing

/// `parapet run --once` with GCP discovery walking a folder tree and Azure discovery reading
/// management groups: the discovered project and subscription get sources, and their violations
/// go to the teams the folder-path and management-group-path globs name.
@Suite(.serialized) struct CloudDiscoveryTreeTests {
    static func folder(_ id: Int, _ displayName: String, parent: String) -> JSONValue {
        ["name": .string("folders/\(id)"), "parent": .string(parent), "displayName": .string(displayName), "state": "ACTIVE"]
    }

    /// example.com / engineering / payments / payments-analytics, beside folders that hold nothing.
    static func organisation(_ google: FakeGoogleCloud) async {
        await google.setOrganizations([["name": "organizations/1234", "displayName": "example.com", "state": "ACTIVE"]])
        await google.setFolders([
            folder(10, "engineering", parent: "organizations/1234"), folder(30, "marketing", parent: "organizations/1234"),
            folder(40, "sandbox", parent: "organizations/1234"), folder(11, "payments", parent: "folders/10"),
            folder(20, "platform", parent: "folders/10"),
        ])
        await google.setProjects([
            ["name": "projects/4242", "projectId": .string(CloudFakeEstate.project), "parent": "folders/11", "state": "ACTIVE",
             "displayName": "Payments analytics"],
            ["name": "projects/4243", "projectId": "payments-old", "parent": "folders/11", "state": "DELETE_REQUESTED"],
        ])
    }

    /// Tenant Root Group / Contoso / Engineering / Platform holds the subscription.
    static func tenant(_ azure: FakeAzure, tags: JSONObject = [:]) async {
        await azure.setSubscriptions([["id": .string("/subscriptions/\(FakeAzure.subscription)"), "subscriptionId": .string(FakeAzure.subscription),
                                       "displayName": "platform-prod", "state": "Enabled", "tags": .object(tags)]])
        await azure.setManagementGroups([
            .init(name: FakeAzure.tenant, displayName: "Tenant Root Group", parent: nil),
            .init(name: "contoso", displayName: "Contoso", parent: FakeAzure.tenant),
            .init(name: "contoso-eng", displayName: "Engineering", parent: "contoso"),
            .init(name: "contoso-platform", displayName: "Platform", parent: "contoso-eng"),
        ], subscriptions: [FakeAzure.subscription: "contoso-platform"])
    }

    static func configuration(_ estate: CloudFakeEstate, webhooks base: URL) throws -> String {
        CloudFakeEstate.commonConfiguration + "\n" + (try estate.providerConfiguration()) + """

            teams:
              payments: { webhook: \(base.absoluteString)/payments, secret_file: webhook-secret }
              platform: { webhook: \(base.absoluteString)/platform, secret_file: webhook-secret }
            discovery:
              gcp_projects:
                parents: [organizations/1234]
                logs: [activity, system_event, data_access, policy]
                teams: { "engineering/payments/**": payments, "engineering/platform/**": platform }
              azure_subscriptions:
                team_tag: team
                teams: { "Contoso/Engineering/Platform/**": platform, "Contoso/Engineering/Payments/**": payments }
            """
    }

    @Test func aProjectTwoFoldersDeepAndASubscriptionInAManagementGroupReachTheirTeams() async throws {
        let directory = try TemporaryDirectory(prefix: "parapet-e2e-discovery-tree")
        defer { directory.remove() }
        let start = Date().addingTimeInterval(-3 * 3600)
        let gcp = try CloudRecords.gcpAudit(project: CloudFakeEstate.project, start: start)
        let azure = try CloudRecords.azureActivity(subscription: FakeAzure.subscription, start: start)
        let receiver = try WebhookReceiver()
        try await receiver.serve { hooks in
            try await CloudFakeEstate.run(in: directory, trails: [:], gcp: gcp, azure: azure) { estate in
                // Given a project two folders below the organisation and a subscription three groups below the root
                await Self.organisation(estate.googleFake)
                await Self.tenant(estate.azureFake)
                try directory.write("webhook-secret", receiver.secret + "\n")
                let cli = CloudCLI(directory: directory)
                try cli.write(config: try Self.configuration(estate, webhooks: hooks))

                // When the daemon runs one cycle
                let run = try await cli.runOnce()

                // Then both are discovered and polled, and nothing else
                #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
                #expect(run.stdout.contains("polled 2 sources: \(gcp.count + azure.count) new events"), "\(run.stdout)")
                let sources = try await cli.sources()
                #expect(Set(sources.keys) == ["gcp/\(CloudFakeEstate.project)/audit", "azure/\(FakeAzure.subscription)/activity"])
                #expect(!run.stderr.contains("discovery is incomplete"), "\(run.stderr)")

                // And their violations carry the paths and the teams of the globs
                let violations = try await cli.violations()
                let onGCP = violations.filter { $0.value(atPath: "account.id") == .string(CloudFakeEstate.project) }
                let onAzure = violations.filter { $0.value(atPath: "account.id") == .string(FakeAzure.subscription) }
                #expect(!onGCP.isEmpty && !onAzure.isEmpty, "\(violations)")
                #expect(onGCP.allSatisfy { $0.value(atPath: "account.team") == "payments"
                    && $0.value(atPath: "account.ou") == "example.com/engineering/payments" }, "\(onGCP)")
                #expect(onAzure.allSatisfy { $0.value(atPath: "account.team") == "platform"
                    && $0.value(atPath: "account.ou") == "Tenant Root Group/Contoso/Engineering/Platform" }, "\(onAzure)")

                // And each team's webhook received exactly its own violations, signed
                let received = await receiver.accepted
                let byPath = Dictionary(grouping: received, by: \.path)
                let payments = Set(byPath["/payments", default: []].compactMap { $0.data?.value(atPath: "account.id")?.stringValue })
                let platform = Set(byPath["/platform", default: []].compactMap { $0.data?.value(atPath: "account.id")?.stringValue })
                #expect(payments == [CloudFakeEstate.project], "\(received.map(\.path))")
                #expect(platform == [FakeAzure.subscription], "\(received.map(\.path))")
                #expect(byPath["/payments", default: []].count == onGCP.count)
                #expect(byPath["/platform", default: []].count == onAzure.count)
            }
        }
    }

    @Test func withoutManagementGroupAccessTheSubscriptionTagDecidesAndAWarningIsLogged() async throws {
        let directory = try TemporaryDirectory(prefix: "parapet-e2e-discovery-403")
        defer { directory.remove() }
        let azure = try CloudRecords.azureActivity(subscription: FakeAzure.subscription, start: Date().addingTimeInterval(-3 * 3600))
        let receiver = try WebhookReceiver()
        try await receiver.serve { hooks in
            try await CloudFakeEstate.run(in: directory, trails: [:], gcp: [], azure: azure) { estate in
                // Given a principal without a management-group role, and a subscription tagged team=payments
                await Self.organisation(estate.googleFake)
                await Self.tenant(estate.azureFake, tags: ["team": "payments"])
                await estate.azureFake.forbidManagementGroups()
                try directory.write("webhook-secret", receiver.secret + "\n")
                let cli = CloudCLI(directory: directory)
                try cli.write(config: try Self.configuration(estate, webhooks: hooks))

                // When the daemon runs one cycle
                let run = try await cli.runOnce()

                // Then discovery still succeeds, says once why the paths are missing, and the tag decides the team
                #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
                #expect(run.stderr.components(separatedBy: "discovery is incomplete").count == 2, "\(run.stderr)")
                #expect(run.stderr.contains("AuthorizationFailed"), "\(run.stderr)")
                let onAzure = try await cli.violations().filter { $0.value(atPath: "account.id") == .string(FakeAzure.subscription) }
                #expect(!onAzure.isEmpty && onAzure.allSatisfy { $0.value(atPath: "account.team") == "payments"
                    && $0.value(atPath: "account.ou") == nil }, "\(onAzure)")
                #expect(await Set(receiver.accepted.map(\.path)).contains("/payments"))
            }
        }
    }
}
