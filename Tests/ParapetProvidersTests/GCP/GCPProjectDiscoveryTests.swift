import Foundation
import ParapetCore
import ParapetProviders
import Testing

@Suite("GCP project discovery")
struct GCPProjectDiscoveryTests {
    @Test("projects under a folder are listed across pages, with labels as tags and a team (a label, else the parent's rule)")
    func listsProjects() async throws {
        try await GCPHarness.run { gcp in
            await gcp.fake.setFolders([["name": "folders/77", "parent": "organizations/1", "displayName": "payments", "state": "ACTIVE"]])
            await gcp.fake.setProjects([
                ["name": "projects/1001", "parent": "folders/77", "projectId": "payments-prod", "state": "ACTIVE", "displayName": "Payments prod", "labels": ["team": "payments", "env": "prod"]],
                ["name": "projects/1002", "parent": "folders/77", "projectId": "payments-dev", "state": "ACTIVE", "displayName": "Payments dev", "labels": ["env": "dev"]],
                ["name": "projects/1003", "parent": "folders/77", "projectId": "payments-old", "state": "DELETE_REQUESTED", "displayName": "Old"],
                ["name": "projects/1004", "parent": "folders/77", "projectId": "payments-ml", "state": "ACTIVE", "labels": ["team": "data"]],
                ["name": "projects/2001", "parent": "folders/88", "projectId": "elsewhere", "state": "ACTIVE"],
            ])
            let discovery = GCPProjectDiscovery(
                configuration: .init(parents: ["folders/77"], teamLabel: "team", teams: ["folders/77": "platform"]),
                gcp: gcp.configuration(), tokens: gcp.tokens(gcp.configuration()), http: gcp.http, sleep: gcp.sleeps.sleep)

            let accounts = try await discovery.accounts()

            #expect(accounts.map(\.id) == ["payments-prod", "payments-dev", "payments-ml"])
            #expect(accounts[0] == Account(provider: .gcp, id: "payments-prod", name: "Payments prod", team: "payments", ou: "payments",
                                           tags: ["team": "payments", "env": "prod"], status: "ACTIVE"))
            #expect(accounts[1].team == "platform")
            #expect(accounts[2].team == "data")
        }
    }
}
