import Foundation
import ParapetCore
import ParapetProviders
import Testing

@Suite("Azure activity source: throttling, refused tokens and subscriptions, bad pages, slow servers")
struct AzureActivitySourceErrorTests {
    static func tooManyRequests(retryAfter: String?) -> FakeResponse {
        var headers: [String: String] = [:]
        if let retryAfter { headers["Retry-After"] = retryAfter }
        return .json(#"{"error":{"code":"TooManyRequests","message":"The request is being throttled."}}"#, status: 429, headers: headers)
    }

    @Test("a short Retry-After is honoured within the poll; without one, backoff with jitter")
    func shortRetryAfter() async throws {
        try await AzureHarness.run { azure in
            azure.clock.now = AzureHarness.samples.map(\.time).max()!.addingTimeInterval(60)
            await azure.fake.script([Self.tooManyRequests(retryAfter: "3"), Self.tooManyRequests(retryAfter: nil)])
            let page = try await azure.source(AzureHarness.settings(maxPages: 10)).poll(after: nil)
            #expect(page.rawKeys.count == 8)
            let waits = azure.sleeps.waits
            #expect(waits.count == 2)
            #expect(waits.first == 3)
            #expect(waits.last.map { $0 >= 0.2 && $0 <= 0.4 } == true)
        }
    }

    @Test("a long Retry-After fails the poll at once, carrying the wait")
    func longRetryAfter() async throws {
        try await AzureHarness.run { azure in
            await azure.fake.script([Self.tooManyRequests(retryAfter: "120")])
            let error = await #expect(throws: CloudSourceError.self) { try await azure.source().poll(after: nil) }
            #expect(error?.code == .throttled)
            #expect(error?.retryAfter == 120)
            #expect(error?.message.contains("TooManyRequests") == true)
            #expect(azure.sleeps.waits.isEmpty)
        }
    }

    @Test("an expired token (401 ExpiredAuthenticationToken) is refreshed once and the call repeated")
    func refreshesOn401() async throws {
        try await AzureHarness.run { azure in
            azure.clock.now = AzureHarness.samples.map(\.time).max()!.addingTimeInterval(60)
            let source = azure.source(AzureHarness.settings(maxPages: 10))
            let first = try await source.poll(after: nil)
            await azure.fake.expireTokens()
            let second = try await source.poll(after: first.cursor)
            #expect(second.cursor != nil)
            #expect(await azure.fake.tokenRequests == 2)
        }
    }

    @Test("a subscription the principal cannot read is a clear AuthorizationFailed error")
    func authorizationFailed() async throws {
        try await AzureHarness.run { azure in
            await azure.fake.forbid(FakeAzure.subscription)
            let error = await #expect(throws: CloudSourceError.self) { try await azure.source().poll(after: nil) }
            #expect(error?.code == .permission)
            let text = error?.description ?? ""
            #expect(text.contains("azure/\(FakeAzure.subscription)/activity"))
            #expect(text.contains("403: AuthorizationFailed: The client"))
            #expect(text.contains("Reader role"))
        }
    }

    @Test("an event that cannot be normalised is quarantined; a page that is not JSON fails the poll")
    func malformedPages() async throws {
        try await AzureHarness.run { azure in
            let good = AzureHarness.samples[0].json.serialized()
            await azure.fake.script([.json(#"{"value":[\#(good),"not an event",{"eventDataId":"x"}]}"#),
                                     FakeResponse(status: 200, body: Data("upstream connect error".utf8))])
            let page = try await azure.source().poll(after: nil)
            #expect(page.events.count == 1)
            #expect(page.quarantined.count == 2)
            #expect(page.quarantined.allSatisfy { $0.location.contains("page 1 event") })

            let error = await #expect(throws: CloudSourceError.self) { try await azure.source().poll(after: nil) }
            #expect(error?.code == .malformedResponse)
        }
    }

    @Test("a server slower than the configured timeout fails the poll")
    func slowServer() async throws {
        try await AzureHarness.run { azure in
            try await CloudFakeServer.run({ _ in
                try? await Task.sleep(for: .seconds(4))
                return .json("{}")
            }) { slow in
                var configuration = azure.configuration(timeout: 1)
                configuration.endpoints.management = slow
                let error = await #expect(throws: CloudSourceError.self) {
                    try await azure.source(configuration: configuration).poll(after: nil)
                }
                #expect(error?.code == .transport)
                #expect(error?.message.contains("timeout") == true)
            }
        }
    }
}
