import Foundation

/// How a GCP or Azure request is retried within one poll: 429 and 5xx are retried a few times
/// with exponential backoff and full jitter (or after the provider's `Retry-After` when it is
/// short enough); anything longer fails the poll and the daemon backs off.
public struct CloudRetryPolicy: Sendable, Hashable {
    /// Attempts per request, the first one included.
    public var maxAttempts: Int
    /// The first backoff; doubled each attempt.
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    /// A `Retry-After` longer than this fails the poll (carrying the value) instead of waiting.
    public var maxRetryAfter: TimeInterval

    public init(maxAttempts: Int = 4, baseDelay: TimeInterval = 0.5, maxDelay: TimeInterval = 8, maxRetryAfter: TimeInterval = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1), between half and the full
    /// exponential delay.
    public func backoff(afterAttempt attempt: Int) -> TimeInterval {
        var generator = SystemRandomNumberGenerator()
        return backoff(afterAttempt: attempt, using: &generator)
    }

    public func backoff<R: RandomNumberGenerator>(afterAttempt attempt: Int, using generator: inout R) -> TimeInterval {
        let exponential = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return exponential * Double.random(in: 0.5...1.0, using: &generator)
    }

    /// Whether a status is worth retrying within the poll.
    static func isRetryable(_ status: Int) -> Bool {
        status == 429 || status == 500 || status == 502 || status == 503 || status == 504
    }
}

/// Waits, for retries; tests inject one that records the waits and returns at once.
public typealias CloudSleep = @Sendable (TimeInterval) async throws -> Void

enum CloudSleeping {
    static let real: CloudSleep = { seconds in
        try await Task.sleep(for: .milliseconds(Int((seconds * 1000).rounded(.up))))
    }
}
