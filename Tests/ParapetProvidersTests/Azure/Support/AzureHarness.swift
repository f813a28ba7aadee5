import Foundation
import Logging
import ParapetCore
import ParapetProviders
import ParapetTesting

/// A fake Azure on a local port, secret and certificate files, and the clock and sleeps the
/// sources under test use.
struct AzureHarness: Sendable {
    let fake: FakeAzure
    let base: URL
    let directory: ParapetTesting.TemporaryDirectory
    let secretFile: String
    let certificateFile: String
    let clock = CloudTestClock(Date())
    let sleeps = CloudSleepRecorder()
    let http = URLSessionHTTPClient()
    let buckets = TokenBucketRegistry()

    static let samples: [CloudSamples.Record] = (try? CloudSamples.load("azure/activity-events-rest-api.jsonl", timeField: "eventTimestamp")) ?? []

    static func run<T: Sendable>(_ body: @Sendable (AzureHarness) async throws -> T) async throws -> T {
        let fake = FakeAzure(records: samples)
        let directory = try ParapetTesting.TemporaryDirectory(prefix: "parapet-azure")
        defer { directory.remove() }
        return try await CloudFakeServer.run({ await fake.handle($0) }) { base in
            await fake.setBase(base.absoluteString)
            let harness = AzureHarness(
                fake: fake, base: base, directory: directory,
                secretFile: try directory.write("azure-secret", FakeAzure.secret + "\n").path,
                certificateFile: try directory.write("azure-cert.pem", AzureTestCertificate.pem).path)
            return try await body(harness)
        }
    }

    enum Credential { case secret, certificate, managedIdentity }

    func configuration(_ credential: Credential = .secret, secretFile: String? = nil, timeout: TimeInterval = 30) -> AzureConfiguration {
        var configuration = AzureConfiguration(
            tenant: FakeAzure.tenant, clientID: FakeAzure.clientID,
            endpoints: .init(management: base, login: base, imds: base), timeout: timeout,
            retry: CloudRetryPolicy(maxAttempts: 4, baseDelay: 0.2, maxDelay: 2, maxRetryAfter: 5))
        switch credential {
        case .secret: configuration.clientSecretFile = secretFile ?? self.secretFile
        case .certificate: configuration.certificateFile = certificateFile
        case .managedIdentity: configuration.clientID = nil
        }
        return configuration
    }

    static func settings(overlap: TimeInterval = 900, maxPages: Int = 2, minRemainingReads: Int = 100) -> AzureActivitySource.Configuration {
        AzureActivitySource.Configuration(subscription: FakeAzure.subscription, overlap: overlap, backfill: 12 * 365 * 86_400,
                                          maxPagesPerPoll: maxPages, minRemainingReads: minRemainingReads,
                                          requestsPerSecond: 1000, burst: 1000)
    }

    func tokens(_ configuration: AzureConfiguration) -> AzureTokenProvider {
        AzureTokenProvider(configuration: configuration, http: http)
    }

    func source(_ settings: AzureActivitySource.Configuration = settings(), configuration: AzureConfiguration? = nil,
                tokens: AzureTokenProvider? = nil) -> AzureActivitySource {
        let configuration = configuration ?? self.configuration()
        return AzureActivitySource(configuration: settings, azure: configuration, tokens: tokens ?? self.tokens(configuration),
                                   runtime: CloudRuntime(http: http, buckets: buckets, now: clock.closure, sleep: sleeps.sleep,
                                                         logger: Logger(label: "test")))
    }

    func drain(_ source: AzureActivitySource, from cursor: Cursor?) async throws -> (pages: [ActivityPage], cursor: Cursor?) {
        var pages: [ActivityPage] = []
        var cursor = cursor
        for _ in 0..<200 {
            let page = try await source.poll(after: cursor)
            pages.append(page)
            cursor = page.cursor
            if !page.hasMore { break }
        }
        return (pages, cursor)
    }
}
