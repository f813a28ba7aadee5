import Foundation
import ParapetCore
import ParapetProviders
import Testing

@Suite("GCP audit source: throttling, refused tokens, refused projects, slow servers")
struct GCPAuditSourceErrorTests {
    static let settings = GCPAuditSourceTests.settings(maxPages: 100)

    static func resourceExhausted() -> FakeResponse {
        .json(#"{"error":{"code":429,"message":"Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'logging.googleapis.com'.","status":"RESOURCE_EXHAUSTED"}}"#, status: 429)
    }

    @Test("429 RESOURCE_EXHAUSTED and 503 are retried within the poll with growing, jittered waits")
    func retriesThrottling() async throws {
        try await GCPHarness.run { gcp in
            gcp.clock.now = GCPHarness.samples.map(\.time).max()!.addingTimeInterval(60)
            await gcp.fake.script([Self.resourceExhausted(), Self.resourceExhausted(), .json(#"{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}"#, status: 503)])

            let page = try await gcp.source(Self.settings).poll(after: nil)

            #expect(page.rawKeys.count == 78)
            let waits = gcp.sleeps.waits
            #expect(waits.count == 3)
            #expect(zip([0.2, 0.4, 0.8], waits).allSatisfy { full, wait in wait >= full / 2 && wait <= full })
        }
    }

    @Test("throttling that outlasts the retries fails the poll with a clear error")
    func persistentThrottling() async throws {
        try await GCPHarness.run { gcp in
            await gcp.fake.script(Array(repeating: Self.resourceExhausted(), count: 6))
            let error = await #expect(throws: CloudSourceError.self) { try await gcp.source(Self.settings).poll(after: nil) }
            #expect(error?.code == .throttled)
            #expect(error?.status == 429)
            #expect(error?.message.contains("RESOURCE_EXHAUSTED") == true)
            #expect(gcp.sleeps.waits.count == 3)
        }
    }

    @Test("a token the API stops accepting is refreshed once, then the call is repeated")
    func refreshesOn401() async throws {
        try await GCPHarness.run { gcp in
            gcp.clock.now = GCPHarness.samples.map(\.time).max()!.addingTimeInterval(60)
            let source = gcp.source(Self.settings)
            let first = try await source.poll(after: nil)
            _ = try await source.poll(after: first.cursor)
            #expect(await gcp.fake.tokenRequests == 1)

            await gcp.fake.expireTokens()
            let page = try await source.poll(after: first.cursor)

            #expect(page.cursor != nil)
            #expect(await gcp.fake.tokenRequests == 2)
        }
    }

    @Test("a project without the Logging API enabled is a clear permission error")
    func loggingAPIDisabled() async throws {
        try await GCPHarness.run { gcp in
            await gcp.fake.script([.json(#"{"error":{"code":403,"message":"Cloud Logging API has not been used in project 415104041262 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/logging.googleapis.com/overview?project=415104041262 then retry.","status":"PERMISSION_DENIED"}}"#, status: 403)])
            let error = await #expect(throws: CloudSourceError.self) { try await gcp.source(Self.settings).poll(after: nil) }
            #expect(error?.code == .permission)
            let text = error?.description ?? ""
            #expect(text.contains("gcp/payments-prod/audit"))
            #expect(text.contains("403"))
            #expect(text.contains("PERMISSION_DENIED: Cloud Logging API has not been used in project"))
            #expect(text.contains("enable the Cloud Logging API"))
            #expect(gcp.sleeps.waits.isEmpty)
        }
    }

    @Test("a server slower than the configured timeout fails the poll instead of hanging")
    func slowServer() async throws {
        try await GCPHarness.run { gcp in
            await gcp.fake.setDelay(.seconds(4))
            let configuration = gcp.configuration(timeout: 1)
            let error = await #expect(throws: CloudSourceError.self) {
                try await gcp.source(Self.settings, configuration: configuration).poll(after: nil)
            }
            #expect(error?.code == .transport)
            #expect(error?.message.contains("timeout") == true)
        }
    }

    @Test("unknown audit log names are a configuration error")
    func unknownLog() async throws {
        try await GCPHarness.run { gcp in
            let error = await #expect(throws: CloudSourceError.self) {
                try await gcp.source(GCPAuditSourceTests.settings(logs: ["activity", "admin"])).poll(after: nil)
            }
            #expect(error?.code == .configuration)
            #expect(error?.message.contains("admin") == true)
        }
    }
}
