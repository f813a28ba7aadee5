import Foundation

/// When to try a failed delivery again: exponential backoff with jitter, `Retry-After` honoured,
/// and a dead letter once the delivery is older than `maxAge`. Pure: the randomness is injected.
public struct RetryPolicy: Sendable, Hashable {
    /// How randomness spreads retries of many deliveries that failed together.
    public enum Jitter: String, Sendable, Hashable, CaseIterable {
        /// Exactly the exponential delay.
        case none
        /// Uniform in [0, delay] (spreads most, may retry at once).
        case full
        /// Uniform in [delay/2, delay] (never less than half the delay).
        case equal
    }

    public var initialDelay: TimeInterval
    public var multiplier: Double
    public var maxDelay: TimeInterval
    /// After this long since the first attempt the delivery is dead-lettered.
    public var maxAge: TimeInterval
    /// A receiver's `Retry-After` is honoured up to this.
    public var maxRetryAfter: TimeInterval
    public var jitter: Jitter

    public init(initialDelay: TimeInterval = 10, multiplier: Double = 2, maxDelay: TimeInterval = 3600,
                maxAge: TimeInterval = 86400, maxRetryAfter: TimeInterval = 3600, jitter: Jitter = .equal) {
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.maxAge = maxAge
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    /// The exponential delay before jitter after `attempts` failed attempts (1 → `initialDelay`).
    public func baseDelay(after attempts: Int) -> TimeInterval {
        let exponent = Double(max(0, attempts - 1))
        let delay = initialDelay * pow(multiplier, exponent)
        return delay.isFinite ? min(delay, maxDelay) : maxDelay
    }

    /// The delay after `attempts` failed attempts, given `unit`, a random number in [0, 1).
    public func delay(after attempts: Int, unit: Double) -> TimeInterval {
        let base = baseDelay(after: attempts)
        switch jitter {
        case .none: return base
        case .full: return base * unit
        case .equal: return base / 2 + base / 2 * unit
        }
    }

    /// When to attempt again after `attempts` failed attempts, or nil to dead-letter.
    ///
    /// A `retryAfter` longer than the computed delay wins (capped at `maxRetryAfter`). A retry
    /// that would fall after `firstAttemptAt + maxAge` is moved to that deadline, so there is one
    /// last attempt; at or past the deadline the answer is nil.
    public func nextAttempt<R: RandomNumberGenerator>(after attempts: Int, now: Date, retryAfter: TimeInterval?,
                                                      firstAttemptAt: Date, using random: inout R) -> Date? {
        let deadline = firstAttemptAt.addingTimeInterval(maxAge)
        guard now < deadline else { return nil }
        var delay = self.delay(after: attempts, unit: Double.random(in: 0..<1, using: &random))
        if let retryAfter, retryAfter > delay { delay = min(retryAfter, maxRetryAfter) }
        return min(now.addingTimeInterval(delay), deadline)
    }

    /// `nextAttempt` with the system's random numbers.
    public func nextAttempt(after attempts: Int, now: Date, retryAfter: TimeInterval?, firstAttemptAt: Date) -> Date? {
        var random = SystemRandomNumberGenerator()
        return nextAttempt(after: attempts, now: now, retryAfter: retryAfter, firstAttemptAt: firstAttemptAt, using: &random)
    }
}
