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
            let discovery = AzureSubscriptionDiscovery(configuration: .init(teamTag: "team"), azure: configuration,
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
}
