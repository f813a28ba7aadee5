import Foundation
import Logging
import ParapetCore
import Testing
@testable import ParapetProviders

@Suite("nextLink origin check")
struct AzureLinkGuardTests {
    static let management = URL(string: "https://management.azure.com")!

    @Test("links on the management endpoint are followed", arguments: [
        "https://management.azure.com/subscriptions/x/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&%24skipToken=abc",
        "https://MANAGEMENT.azure.com:443/subscriptions/x",
    ])
    func sameOrigin(link: String) throws {
        #expect(try AzureLinkGuard.check(link, against: Self.management, subject: "t").absoluteString == link)
    }

    @Test("links anywhere else are refused", arguments: [
        "http://management.azure.com/subscriptions/x",
        "https://management.azure.com:8443/subscriptions/x",
        "https://management.azure.com.evil.example/subscriptions/x",
        "https://evil.example/subscriptions/x",
        "//evil.example/x",
    ])
    func otherOrigin(link: String) {
        #expect(throws: CloudSourceError.self) { try AzureLinkGuard.check(link, against: Self.management, subject: "t") }
    }

    @Test("the activity log URL carries the documented, encoded $filter")
    func firstPageURL() throws {
        let source = AzureActivitySource(
            configuration: .init(subscription: "5e1f0c2d-3b4a-4c5d-8e9f-0a1b2c3d4e5f"), azure: AzureConfiguration(),
            tokens: AzureTokenProvider(configuration: AzureConfiguration(), http: URLSessionHTTPClient()),
            runtime: CloudRuntime(http: URLSessionHTTPClient(), buckets: .init(), logger: Logger(label: "test")))
        let window = AzureActivityCursor(from: Date(timeIntervalSince1970: 1_732_000_000), to: Date(timeIntervalSince1970: 1_732_003_600))
        #expect(source.firstPage(window).absoluteString == "https://management.azure.com/subscriptions/5e1f0c2d-3b4a-4c5d-8e9f-0a1b2c3d4e5f/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=eventTimestamp%20ge%20'2024-11-19T07:06:40.000Z'%20and%20eventTimestamp%20le%20'2024-11-19T08:06:40.000Z'")
    }
}
