import Foundation
import ParapetCore
import ParapetProviders
import Testing

@Suite("Azure subscription discovery")
struct AzureSubscriptionDiscoveryTests {
    static let subscriptions: [JSONValue] = [
        ["id": "/subscriptions/11111111-1111-1111-1111-111111111111", "subscriptionId": "11111111-1111-1111-1111-111111111111", "tenantId": .string(FakeAzure.tenant),
         "displayName": "payments-prod", "state": "Enabled", "tags": ["team": "payments", "env": "prod"], "authorizationSource": "RoleBased"],
        ["id": "/subscriptions/22222222-2222-2222-2222-222222222222", "subscriptionId": "22222222-2222-2222-2222-222222222222", "tenantId": .string(FakeAzure.tenant),
         "displayName": "sandbox", "state": "Disabled", "authorizationSource": "RoleBased"],
        ["id": "/subscriptions/33333333-3333-3333-3333-333333333333", "subscriptionId": "33333333-3333-3333-3333-333333333333", "tenantId": .string(FakeAzure.tenant),
         "displayName": "data-lake", "state": "Enabled", "tags": ["team": "data"], "authorizationSource": "RoleBased"],
    ]

    @Test("subscriptions are listed across nextLink pages with tags, state and team")
    func listsSubscriptions() async throws {
        try await AzureHarness.run { azure in
            await azure.fake.setSubscriptions(Self.subscriptions)
            let configuration = azure.configuration()
            let discovery = AzureSubscriptionDiscovery(configuration: .init(teamTag: "team", managementGroups: false), azure: configuration,
                                                       tokens: azure.tokens(configuration), http: azure.http, sleep: azure.sleeps.sleep)
            let accounts = try await discovery.accounts()
            #expect(accounts.map(\.id) == Self.subscriptions.compactMap { $0["subscriptionId"]?.stringValue })
            #expect(accounts[0] == Account(provider: .azure, id: "11111111-1111-1111-1111-111111111111", name: "payments-prod", team: "payments",
                                           tags: ["team": "payments", "env": "prod"], status: "Enabled"))
            #expect(accounts[1].status == "Disabled")
            #expect(accounts[1].team == nil)
            #expect(accounts[2].team == "data")
        }
    }

    @Test("a nextLink to another host is refused")
    func refusesForeignNextLink() async throws {
        try await AzureHarness.run { azure in
            await azure.fake.setSubscriptions(Self.subscriptions)
            await azure.fake.setNextLinkBase("https://management.evil.example")
            let configuration = azure.configuration()
            let discovery = AzureSubscriptionDiscovery(azure: configuration, tokens: azure.tokens(configuration), http: azure.http)
            let error = await #expect(throws: CloudSourceError.self) { try await discovery.accounts() }
            #expect(error?.code == .untrustedLink)
        }
    }

    static let groups: [FakeAzure.ManagementGroup] = [
        .init(name: FakeAzure.tenant, displayName: "Tenant Root Group", parent: nil),
        .init(name: "contoso", displayName: "Contoso", parent: FakeAzure.tenant),
        .init(name: "contoso-eng", displayName: "Engineering", parent: "contoso"),
        .init(name: "contoso-eng-pay", displayName: "Payments", parent: "contoso-eng"),
    ]
    static let placement = [
        "11111111-1111-1111-1111-111111111111": "contoso-eng-pay",
        "22222222-2222-2222-2222-222222222222": "contoso-eng",
        "33333333-3333-3333-3333-333333333333": "contoso-eng-pay",
    ]

    @Test("each subscription gets its management-group path; a tag beats the path globs, the most specific glob wins")
    func managementGroupPaths() async throws {
        try await AzureHarness.run { azure in
            // Given three subscriptions in a management-group tree (entities two a page)
            await azure.fake.setSubscriptions(Self.subscriptions)
            await azure.fake.setManagementGroups(Self.groups, subscriptions: Self.placement)
            let configuration = azure.configuration()
            let teams = ["Contoso/Engineering/Payments/**": "payments", "Contoso/Engineering/**": "engineering"]
            let discovery = AzureSubscriptionDiscovery(configuration: .init(teamTag: "owner", teams: teams), azure: configuration,
                                                       tokens: azure.tokens(configuration), http: azure.http, sleep: azure.sleeps.sleep)
            // When discovery runs
            let result = try await discovery.discover()
            // Then each subscription has its path from the tenant root group down
            let byID = Dictionary(uniqueKeysWithValues: result.accounts.map { ($0.id, $0) })
            #expect(byID["11111111-1111-1111-1111-111111111111"]?.ou == "Tenant Root Group/Contoso/Engineering/Payments")
            #expect(byID["22222222-2222-2222-2222-222222222222"]?.ou == "Tenant Root Group/Contoso/Engineering")
            // And the team comes from the most specific glob
            #expect(byID["11111111-1111-1111-1111-111111111111"]?.team == "payments")
            #expect(byID["22222222-2222-2222-2222-222222222222"]?.team == "engineering")
            #expect(result.warnings.isEmpty)
            // And Entities List was POSTed and followed across its pages
            let requests = await azure.fake.entitiesRequests
            #expect(requests.count == 4 && requests.allSatisfy { $0.method == "POST" }, "\(requests.map(\.rawQuery))")
        }
        try await AzureHarness.run { azure in
            // And with a team tag configured, the tag wins over the globs
            await azure.fake.setSubscriptions(Self.subscriptions)
            await azure.fake.setManagementGroups(Self.groups, subscriptions: Self.placement)
            let configuration = azure.configuration()
            let discovery = AzureSubscriptionDiscovery(configuration: .init(teamTag: "team", teams: ["Contoso/**": "contoso"]), azure: configuration,
                                                       tokens: azure.tokens(configuration), http: azure.http, sleep: azure.sleeps.sleep)
            let team = Dictionary(uniqueKeysWithValues: try await discovery.accounts().map { ($0.id, $0.team) })
            #expect(team == ["11111111-1111-1111-1111-111111111111": "payments", "22222222-2222-2222-2222-222222222222": "contoso",
                             "33333333-3333-3333-3333-333333333333": "data"])
        }
    }

    @Test("without a management-group role discovery still works: a warning, no paths, teams from the tag")
    func managementGroupsForbidden() async throws {
        try await AzureHarness.run { azure in
            // Given a principal that may list subscriptions but not read management groups
            await azure.fake.setSubscriptions(Self.subscriptions)
            await azure.fake.setManagementGroups(Self.groups, subscriptions: Self.placement)
            await azure.fake.forbidManagementGroups()
            let configuration = azure.configuration()
            let discovery = AzureSubscriptionDiscovery(configuration: .init(teamTag: "team", teams: ["Contoso/**": "contoso"]), azure: configuration,
                                                       tokens: azure.tokens(configuration), http: azure.http, sleep: azure.sleeps.sleep)
            // When discovery runs
            let result = try await discovery.discover()
            // Then every subscription is there, without a path, with the tag's team
            #expect(result.accounts.count == 3)
            #expect(result.accounts.allSatisfy { $0.ou == nil })
            #expect(result.accounts.map(\.team) == ["payments", nil, "data"])
            // And one warning says why and what to do
            #expect(result.warnings.count == 1)
            #expect(result.warnings.first?.contains("403: AuthorizationFailed") == true, "\(result.warnings)")
            #expect(result.warnings.first?.contains("Management Group Reader") == true)
            #expect(await azure.fake.entitiesRequests.count == 1)
        }
    }

    @Test("management groups are not read when switched off")
    func managementGroupsOff() async throws {
        try await AzureHarness.run { azure in
            await azure.fake.setSubscriptions(Self.subscriptions)
            await azure.fake.setManagementGroups(Self.groups, subscriptions: Self.placement)
            let configuration = azure.configuration()
            let discovery = AzureSubscriptionDiscovery(configuration: .init(managementGroups: false), azure: configuration,
                                                       tokens: azure.tokens(configuration), http: azure.http)
            let accounts = try await discovery.discover().accounts
            #expect(accounts.count == 3 && accounts.allSatisfy { $0.ou == nil })
            #expect(await azure.fake.entitiesRequests.isEmpty)
        }
    }

    @Test("an Entities List nextLink to another host is refused")
    func refusesForeignEntitiesLink() async throws {
        try await AzureHarness.run { azure in
            await azure.fake.setSubscriptions(Array(Self.subscriptions.prefix(2)))
            await azure.fake.setManagementGroups(Self.groups, subscriptions: Self.placement)
            await azure.fake.setNextLinkBase("https://management.evil.example")
            let configuration = azure.configuration()
            let discovery = AzureSubscriptionDiscovery(azure: configuration, tokens: azure.tokens(configuration), http: azure.http)
            let error = await #expect(throws: CloudSourceError.self) { try await discovery.accounts() }
            #expect(error?.code == .untrustedLink)
            #expect(await azure.fake.entitiesRequests.count == 1)
        }
    }
}
