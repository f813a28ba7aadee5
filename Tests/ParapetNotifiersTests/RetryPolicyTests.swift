import Foundation
import Testing

@testable import ParapetNotifiers

/// A generator that always yields the same value (so `Double.random(in: 0..<1)` is fixed).
struct FixedRandom: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

@Suite struct RetryPolicyTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    func delays(_ policy: RetryPolicy, attempts: ClosedRange<Int>, random: UInt64 = .max) -> [TimeInterval] {
        var rng = FixedRandom(value: random)
        return attempts.map { attempt in
            policy.nextAttempt(after: attempt, now: start, retryAfter: nil, firstAttemptAt: start, using: &rng)!
                .timeIntervalSince(start)
        }
    }

    @Test func delaysDoubleUpToTheCap() {
        let policy = RetryPolicy(jitter: .none)
        #expect(delays(policy, attempts: 1...11) == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600])
    }

    @Test func equalJitterStaysBetweenHalfAndAllOfTheDelay() {
        let policy = RetryPolicy(jitter: .equal)
        #expect(delays(policy, attempts: 1...3, random: 0) == [5, 10, 20])
        let high = delays(policy, attempts: 1...3, random: .max)
        #expect(zip(high, [10.0, 20, 40]).allSatisfy { $0 > $1 * 0.99 && $0 <= $1 })
    }

    @Test func fullJitterMayRetryAtOnce() {
        #expect(delays(RetryPolicy(jitter: .full), attempts: 1...3, random: 0) == [0, 0, 0])
    }

    @Test func aLongerRetryAfterWinsButIsCapped() {
        var rng = FixedRandom(value: 0)
        let policy = RetryPolicy(jitter: .none)
        let honoured = policy.nextAttempt(after: 1, now: start, retryAfter: 120, firstAttemptAt: start, using: &rng)
        let shorter = policy.nextAttempt(after: 3, now: start, retryAfter: 7, firstAttemptAt: start, using: &rng)
        let capped = policy.nextAttempt(after: 1, now: start, retryAfter: 86400, firstAttemptAt: start, using: &rng)
        #expect(honoured == start.addingTimeInterval(120))
        #expect(shorter == start.addingTimeInterval(40))
        #expect(capped == start.addingTimeInterval(3600))
    }

    @Test func pastMaxAgeTheDeliveryIsDeadLettered() {
        var rng = FixedRandom(value: 0)
        let policy = RetryPolicy(jitter: .none)
        // Near the deadline the last retry is moved onto it
        let nearEnd = start.addingTimeInterval(86400 - 100)
        #expect(policy.nextAttempt(after: 20, now: nearEnd, retryAfter: nil, firstAttemptAt: start, using: &rng)
            == start.addingTimeInterval(86400))
        // At the deadline there is none
        #expect(policy.nextAttempt(after: 21, now: start.addingTimeInterval(86400), retryAfter: nil, firstAttemptAt: start,
                                   using: &rng) == nil)
    }

    @Test func hugeAttemptCountsDoNotOverflow() {
        #expect(RetryPolicy(jitter: .none).baseDelay(after: 100_000) == 3600)
    }
}
