import Foundation
import ParapetCore
import ParapetProviders
import ParapetTesting
import Testing

/// The folder-tree walk of GCP discovery against the fake Resource Manager (two items a page).
@Suite("GCP folder tree discovery")
struct GCPFolderTreeTests {
    static func folder(_ id: Int, _ displayName: String, parent: String, state: String = "ACTIVE") -> JSONValue {
        ["name": .string("folders/\(id)"), "parent": .string(parent), "displayName": .string(displayName), "state": .string(state)]
    }

    static func project(_ id: String, parent: String, state: String = "ACTIVE", labels: JSONObject = [:]) -> JSONValue {
        ["name": .string("projects/\(id)"), "projectId": .string(id), "parent": .string(parent),
         "state": .string(state), "displayName": .string(id), "labels": .object(labels)]
    }

    /// example.com ─┬─ engineering ─┬─ payments ─┬─ prod
    ///              │               │            └─ (pay-shared)
    ///              │               ├─ platform ── core
    ///              │               └─ retired (DELETE_REQUESTED)
    ///              ├─ marketing
    ///              └─ sandbox
    static func estate(_ fake: FakeGoogleCloud) async {
        await fake.setOrganizations([["name": "organizations/1234", "displayName": "example.com", "state": "ACTIVE"]])
        await fake.setFolders([
            folder(10, "engineering", parent: "organizations/1234"),
            folder(30, "marketing", parent: "organizations/1234"),
            folder(40, "sandbox", parent: "organizations/1234"),
            folder(11, "payments", parent: "folders/10"),
            folder(20, "platform", parent: "folders/10"),
            folder(19, "retired", parent: "folders/10", state: "DELETE_REQUESTED"),
            folder(12, "prod", parent: "folders/11"),
            folder(21, "core", parent: "folders/20"),
        ])
        await fake.setProjects([
            project("pay-prod-1", parent: "folders/12"),
            project("pay-prod-2", parent: "folders/12"),
            project("pay-prod-3", parent: "folders/12", labels: ["team": "data"]),
            project("pay-prod-gone", parent: "folders/12", state: "DELETE_REQUESTED"),
            project("pay-shared", parent: "folders/11"),
            project("platform-core", parent: "folders/21"),
            project("platform-misc", parent: "folders/20"),
            project("old-thing", parent: "folders/19"),
            project("campaigns", parent: "folders/30"),
            project("top-level", parent: "organizations/1234"),
        ])
    }

    func discovery(_ gcp: GCPHarness, _ configuration: GCPProjectDiscovery.Configuration) -> GCPProjectDiscovery {
        let settings = gcp.configuration()
        return GCPProjectDiscovery(configuration: configuration, gcp: settings, tokens: gcp.tokens(settings), http: gcp.http,
                                   sleep: gcp.sleeps.sleep)
    }

    @Test("nested folders are walked across pages and every project knows its folder path")
    func walksNestedFolders() async throws {
        try await GCPHarness.run { gcp in
            // Given an organisation with projects up to three folders deep, two items a page
            await Self.estate(gcp.fake)
            // When discovery walks it
            let result = try await discovery(gcp, .init(parents: ["organizations/1234"])).discover()
            // Then every active project is found once, with its path of display names
            let paths = Dictionary(uniqueKeysWithValues: result.accounts.map { ($0.id, $0.ou) })
            #expect(paths == [
                "pay-prod-1": "example.com/engineering/payments/prod", "pay-prod-2": "example.com/engineering/payments/prod",
                "pay-prod-3": "example.com/engineering/payments/prod", "pay-shared": "example.com/engineering/payments",
                "platform-core": "example.com/engineering/platform/core", "platform-misc": "example.com/engineering/platform",
                "campaigns": "example.com/marketing", "top-level": "example.com",
            ])
            #expect(result.warnings.isEmpty)
            // And the lists were followed across pages (three folders under the organisation, four projects in prod)
            let requests = await gcp.fake.resourceManagerRequests
            #expect(requests.filter { $0 == "GET /v3/folders?parent=organizations/1234" }.count == 2)
            #expect(requests.filter { $0 == "GET /v3/projects?parent=folders/12" }.count == 2)
            // And the deleted folder is not walked
            #expect(!requests.contains("GET /v3/projects?parent=folders/19"))
        }
    }

    @Test("a label beats the folder-path globs; the most specific glob wins; a resource name keeps working")
    func assignsTeams() async throws {
        try await GCPHarness.run { gcp in
            await Self.estate(gcp.fake)
            let teams = ["engineering/payments/**": "payments", "engineering/platform/*": "platform", "engineering/**": "engineering",
                         "folders/30": "growth"]
            let accounts = try await discovery(gcp, .init(parents: ["organizations/1234"], teamLabel: "team", teams: teams)).accounts()
            let team = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0.team ?? "-") })
            #expect(team["pay-prod-1"] == "payments")      // engineering/payments/** beats engineering/**
            #expect(team["pay-shared"] == "payments")      // ** matches no segment too
            #expect(team["pay-prod-3"] == "data")          // the label wins
            #expect(team["platform-core"] == "platform")   // engineering/platform/* is one level below platform
            #expect(team["platform-misc"] == "engineering") // …so platform itself falls to engineering/**
            #expect(team["campaigns"] == "growth")         // a folders/… key names every project below that folder
            #expect(team["top-level"] == "-")
        }
    }

    @Test("a resource-name rule for the nearest ancestor beats one further up and beats the globs")
    func nearestResourceNameWins() async throws {
        try await GCPHarness.run { gcp in
            await Self.estate(gcp.fake)
            let teams = ["folders/10": "engineering", "folders/12": "payments-prod", "**": "everyone"]
            let accounts = try await discovery(gcp, .init(parents: ["organizations/1234"], teams: teams)).accounts()
            let team = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0.team ?? "-") })
            #expect(team["pay-prod-1"] == "payments-prod")
            #expect(team["pay-shared"] == "engineering")
            #expect(team["campaigns"] == "everyone")
        }
    }

    @Test("folders deeper than the bound are not walked, with a warning")
    func boundsTheDepth() async throws {
        try await GCPHarness.run { gcp in
            // Given a chain a/b/c under a folder parent, and max depth 2
            await gcp.fake.setFolders([
                Self.folder(1, "root", parent: "organizations/9"),
                Self.folder(2, "a", parent: "folders/1"), Self.folder(3, "b", parent: "folders/2"), Self.folder(4, "c", parent: "folders/3"),
            ])
            await gcp.fake.setProjects([Self.project("in-b", parent: "folders/3"), Self.project("in-c", parent: "folders/4")])
            // When discovery walks it
            let result = try await discovery(gcp, .init(parents: ["folders/1"], maxDepth: 2)).discover()
            // Then the project two levels down is found and the one three levels down is not, with a warning
            #expect(result.accounts.map(\.id) == ["in-b"])
            #expect(result.accounts.first?.ou == "root/a/b")
            #expect(result.warnings.count == 1)
            #expect(result.warnings.first?.contains("folders/4 (root/a/b/c) is deeper than 2 levels") == true, "\(result.warnings)")
            #expect(await !gcp.fake.resourceManagerRequests.contains("GET /v3/projects?parent=folders/4"))
        }
    }

    @Test("a folder reached twice (a cycle in the answers) is walked once")
    func survivesACycle() async throws {
        try await GCPHarness.run { gcp in
            // Given folders/50 under folders/51 and folders/51 under folders/50
            await gcp.fake.setFolders([Self.folder(50, "ring", parent: "folders/51"), Self.folder(51, "loop", parent: "folders/50")])
            await gcp.fake.setProjects([Self.project("in-ring", parent: "folders/50"), Self.project("in-loop", parent: "folders/51")])
            // When discovery starts at folders/50
            let result = try await discovery(gcp, .init(parents: ["folders/50"])).discover()
            // Then it ends, each project once, and says so
            #expect(result.accounts.map(\.id).sorted() == ["in-loop", "in-ring"])
            #expect(result.warnings.contains { $0.contains("folders/50") && $0.contains("reached twice") }, "\(result.warnings)")
        }
    }

    @Test("overlapping parents list each project once")
    func overlappingParents() async throws {
        try await GCPHarness.run { gcp in
            await Self.estate(gcp.fake)
            let accounts = try await discovery(gcp, .init(parents: ["organizations/1234", "folders/11"])).accounts()
            #expect(accounts.count == 8)
            #expect(accounts.first { $0.id == "pay-shared" }?.ou == "example.com/engineering/payments")
        }
    }

    @Test("a parent whose name cannot be read gives paths that start with its number, with a warning")
    func unreadableParentName() async throws {
        try await GCPHarness.run { gcp in
            await gcp.fake.setFolders([Self.folder(11, "payments", parent: "organizations/77")])
            await gcp.fake.setProjects([Self.project("p1", parent: "folders/11")])
            let result = try await discovery(gcp, .init(parents: ["organizations/77"], teams: ["payments/**": "payments"])).discover()
            #expect(result.accounts.first?.ou == "77/payments")
            #expect(result.accounts.first?.team == "payments")
            #expect(result.warnings.first?.contains("cannot read the display name of organizations/77") == true)
        }
    }

    @Test("a folder the principal may not list fails discovery with Google's reason and what to grant")
    func permissionDenied() async throws {
        try await GCPHarness.run { gcp in
            await Self.estate(gcp.fake)
            await gcp.fake.deny("folders/11")
            let error = await #expect(throws: CloudSourceError.self) {
                try await discovery(gcp, .init(parents: ["organizations/1234"])).accounts()
            }
            #expect(error?.code == .permission)
            #expect(error?.description.contains("projects.list under folders/11 answered 403: PERMISSION_DENIED: The caller does not have permission") == true,
                    "\(String(describing: error))")
            #expect(error?.description.contains("roles/browser") == true)
        }
    }
}
