import Foundation

/// Retries inside one call: throttling, 5xx and dropped connections, with exponential backoff
/// and full jitter. When the attempts run out the call (and the poll) fails; the daemon's
/// backoff takes over from there.
public struct AWSRetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 4, baseDelay: TimeInterval = 0.5, maxDelay: TimeInterval = 8) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// AWS error codes that mean "slow down".
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]

    /// The wait before attempt `attempt + 1` (attempt counts from 1): full jitter over an
    /// exponential ceiling, or the server's `Retry-After` when it is larger.
    public func delay(afterAttempt attempt: Int, retryAfter: TimeInterval? = nil,
                      random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> TimeInterval {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        let jittered = random(0...max(ceiling, 0))
        if let retryAfter { return min(maxDelay, max(jittered, retryAfter)) }
        return jittered
    }
}
