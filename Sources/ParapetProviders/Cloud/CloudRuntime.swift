import Foundation
import Logging
import ParapetCore

/// What a GCP or Azure source needs from its surroundings: the HTTP client, the shared token
/// buckets, the clock, how to wait between retries, and where to log.
public struct CloudRuntime: Sendable {
    public var http: any HTTPClient
    public var buckets: TokenBucketRegistry
    public var now: @Sendable () -> Date
    public var sleep: CloudSleep
    public var logger: Logger

    /// `sleep` nil: really sleep (tests pass a recorder).
    public init(http: any HTTPClient, buckets: TokenBucketRegistry, now: @escaping @Sendable () -> Date = { Date() },
                sleep: CloudSleep? = nil, logger: Logger) {
        self.http = http
        self.buckets = buckets
        self.now = now
        self.sleep = sleep ?? CloudSleeping.real
        self.logger = logger
    }

    /// A sender for one poll of `subject`: requests wait for `bucketKey`'s budget, are retried by
    /// `retry`, and carry the bearer token of `token` (refreshed once after a 401).
    func sender(subject: String, bucketKey: String, rate: Double, burst: Double, retry: CloudRetryPolicy,
                token: @escaping @Sendable (Bool) async throws -> String,
                invalidate: @escaping @Sendable (String) async -> Void) async -> CloudRequestSender {
        let bucket = await buckets.bucket(for: bucketKey, rate: rate, burst: burst)
        return CloudRequestSender(http: http, retry: retry, sleep: sleep, bucket: bucket, subject: subject,
                                  token: token, invalidate: invalidate)
    }
}
