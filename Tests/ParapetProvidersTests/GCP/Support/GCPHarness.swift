import Foundation
import Logging
import ParapetCore
import ParapetProviders
import ParapetTesting

/// A fake Google Cloud on a local port, a key file pointing at it, and the clock and sleeps the
/// sources under test use.
struct GCPHarness: Sendable {
    let fake: FakeGoogleCloud
    let base: URL
    let directory: ParapetTesting.TemporaryDirectory
    let keyFile: String
    let clock: CloudTestClock
    let sleeps = CloudSleepRecorder()
    let http = URLSessionHTTPClient()
    let buckets = TokenBucketRegistry()

    static let samples: [CloudSamples.Record] = (try? CloudSamples.load("gcp/audit-entries.jsonl", timeField: "timestamp")) ?? []

    static func run<T: Sendable>(records: [CloudSamples.Record] = samples,
                                 _ body: @Sendable (GCPHarness) async throws -> T) async throws -> T {
        let fake = FakeGoogleCloud(records: records)
        let directory = try ParapetTesting.TemporaryDirectory(prefix: "parapet-gcp")
        defer { directory.remove() }
        return try await CloudFakeServer.run({ await fake.handle($0) }) { base in
            let tokenURI = base.appendingPathComponent("token")
            await fake.setTokenURI(tokenURI.absoluteString)
            let keyFile = try GCPTestKeys.writeKeyFile(in: directory, tokenURI: tokenURI)
            let harness = GCPHarness(fake: fake, base: base, directory: directory, keyFile: keyFile,
                                     clock: CloudTestClock(Date()))
            return try await body(harness)
        }
    }

    func configuration(keyFile: String?? = .none, timeout: TimeInterval = 30) -> GCPConfiguration {
        GCPConfiguration(
            credentialsFile: keyFile ?? self.keyFile,
            endpoints: .init(logging: base, metadata: base, resourceManager: base),
            timeout: timeout,
            retry: CloudRetryPolicy(maxAttempts: 4, baseDelay: 0.2, maxDelay: 2, maxRetryAfter: 5))
    }

    func tokens(_ configuration: GCPConfiguration) -> GCPTokenProvider {
        GCPTokenProvider(configuration: configuration, http: http)
    }

    func source(_ settings: GCPAuditSource.Configuration, configuration: GCPConfiguration? = nil,
                tokens: GCPTokenProvider? = nil) -> GCPAuditSource {
        let configuration = configuration ?? self.configuration()
        return GCPAuditSource(configuration: settings, gcp: configuration, tokens: tokens ?? self.tokens(configuration),
                              runtime: CloudRuntime(http: http, buckets: buckets, now: clock.closure, sleep: sleeps.sleep,
                                                    logger: Logger(label: "test")))
    }

    /// Polls until the source has nothing more right now; returns the pages and the last cursor.
    func drain(_ source: GCPAuditSource, from cursor: Cursor?) async throws -> (pages: [ActivityPage], cursor: Cursor?) {
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
