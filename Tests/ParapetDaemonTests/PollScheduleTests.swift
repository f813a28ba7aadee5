import Foundation
import Testing
@testable import ParapetDaemon

/// A deterministic generator so jitter is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct PollScheduleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func newSourcesAreSpreadOverTheFirstInterval() {
        var rng = SeededGenerator(state: 1)
        var schedule = PollSchedule(configuration: .init(interval: 60, jitter: 0.5))
        for i in 0..<1000 { schedule.add("s\(i)", now: start, using: &rng) }
        let dues = schedule.entries.values.map { $0.nextDue.timeIntervalSince(start) }
        #expect(dues.allSatisfy { $0 >= 0 && $0 < 30 })
        // Not in lock-step: the first polls fall into many different seconds.
        #expect(Set(dues.map { Int($0) }).count > 20)
        #expect(schedule.due(now: start.addingTimeInterval(30)).count == 1000)
    }

    @Test func aSuccessfulPollIsDueAgainAfterAnIntervalWithJitter() {
        var rng = SeededGenerator(state: 2)
        var schedule = PollSchedule(configuration: .init(interval: 60, jitter: 0.1))
        schedule.add("a", now: start, immediately: true, using: &rng)
        #expect(schedule.due(now: start) == ["a"])
        schedule.markStarted("a")
        #expect(schedule.due(now: start).isEmpty, "a running source is never started twice")
        schedule.succeeded("a", now: start, hasMore: false, using: &rng)
        let next = schedule.entries["a"]!.nextDue.timeIntervalSince(start)
        #expect(next >= 54 && next <= 66)
    }

    @Test func aSourceWithMoreToReadIsDueAtOnce() {
        var rng = SeededGenerator(state: 3)
        var schedule = PollSchedule(configuration: .init(interval: 60))
        schedule.add("a", now: start, immediately: true, using: &rng)
        schedule.markStarted("a")
        schedule.succeeded("a", now: start, hasMore: true, using: &rng)
        #expect(schedule.due(now: start) == ["a"])
    }

    @Test func failuresBackOffExponentiallyUpToTheMaximumAndResetOnSuccess() {
        var rng = SeededGenerator(state: 4)
        var schedule = PollSchedule(configuration: .init(interval: 60, backoffInitial: 30, backoffMax: 600))
        schedule.add("a", now: start, immediately: true, using: &rng)
        var delays: [TimeInterval] = []
        var now = start
        for _ in 0..<8 {
            schedule.markStarted("a")
            let delay = schedule.failed("a", now: now, using: &rng)
            delays.append(delay)
            now = schedule.entries["a"]!.nextDue
        }
        // Each delay lies in [ceiling/2, ceiling] with ceiling 30, 60, 120, … capped at 600.
        let ceilings: [TimeInterval] = [30, 60, 120, 240, 480, 600, 600, 600]
        for (delay, ceiling) in zip(delays, ceilings) {
            #expect(delay >= ceiling / 2 && delay <= ceiling, "delay \(delay) for ceiling \(ceiling)")
        }
        #expect(schedule.entries["a"]!.consecutiveFailures == 8)
        schedule.markStarted("a")
        schedule.succeeded("a", now: now, hasMore: false, using: &rng)
        #expect(schedule.entries["a"]!.consecutiveFailures == 0)
    }

    @Test func retryAfterFromTheProviderIsHonoured() {
        var rng = SeededGenerator(state: 5)
        var schedule = PollSchedule(configuration: .init(interval: 60, backoffInitial: 1, backoffMax: 3600))
        schedule.add("a", now: start, immediately: true, using: &rng)
        schedule.markStarted("a")
        let delay = schedule.failed("a", now: start, retryAfter: 120, using: &rng)
        #expect(delay == 120)
    }

    @Test func oneFailingSourceDoesNotDelayTheOthers() {
        var rng = SeededGenerator(state: 6)
        var schedule = PollSchedule(configuration: .init(interval: 60, jitter: 0))
        schedule.add("bad", now: start, immediately: true, using: &rng)
        schedule.add("good", now: start, immediately: true, using: &rng)
        var now = start
        for _ in 0..<5 {
            for id in schedule.due(now: now) {
                schedule.markStarted(id)
                if id == "bad" {
                    schedule.failed(id, now: now, using: &rng)
                } else {
                    schedule.succeeded(id, now: now, hasMore: false, using: &rng)
                }
            }
            now = now.addingTimeInterval(60)
        }
        // good polled every interval regardless of bad's backoff
        #expect(schedule.entries["good"]!.nextDue == now)
        #expect(schedule.entries["bad"]!.consecutiveFailures >= 2)
    }

    @Test func removedSourcesAreForgotten() {
        var rng = SeededGenerator(state: 7)
        var schedule = PollSchedule(configuration: .init(interval: 60))
        schedule.add("a", now: start, immediately: true, using: &rng)
        schedule.remove("a")
        #expect(schedule.due(now: start.addingTimeInterval(3600)).isEmpty)
        #expect(schedule.nextWake == nil)
    }
}
