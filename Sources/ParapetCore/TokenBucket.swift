import Foundation

/// A token bucket: `rate` tokens per second, holding at most `burst`. Shared by everything that
/// calls one account-region (AWS), one project (GCP) or one subscription (Azure).
public actor TokenBucket {
    public let rate: Double
    public let burst: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant
    private let clock = ContinuousClock()

    public init(rate: Double, burst: Double) {
        precondition(rate > 0 && burst >= 1)
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.last = ContinuousClock.now
    }

    /// Waits until a token is available and takes it. Cancellation ends the wait with an error.
    public func acquire() async throws {
        while true {
            refill()
            if tokens >= 1 {
                tokens -= 1
                return
            }
            let wait = (1 - tokens) / rate
            try await Task.sleep(for: .milliseconds(Int(wait * 1000) + 1))
        }
    }

    /// Takes a token if one is available now.
    public func tryAcquire() -> Bool {
        refill()
        if tokens >= 1 {
            tokens -= 1
            return true
        }
        return false
    }

    private func refill() {
        let now = clock.now
        let elapsed = now - last
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(burst, tokens + seconds * rate)
        last = now
    }
}

/// Buckets by key, created on first use: `aws/111122223333/eu-west-1` → 2 requests/s.
public actor TokenBucketRegistry {
    private var buckets: [String: TokenBucket] = [:]
    public init() {}

    public func bucket(for key: String, rate: Double, burst: Double) -> TokenBucket {
        if let existing = buckets[key] { return existing }
        let bucket = TokenBucket(rate: rate, burst: burst)
        buckets[key] = bucket
        return bucket
    }
}
