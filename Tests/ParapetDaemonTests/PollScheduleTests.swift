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

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

@Suite struct PollScheduleTests {
    let start = ContinuousClock.now

    @Test func newSourcesAreSpreadOverTheFirstInterval() {
        var rng = SeededGenerator(state: 1)
        var schedule = PollSchedule(configuration: .init(interval: 60, jitter: 0.5))
        for i in 0..<1000 { schedule.add("s\(i)", now: start, using: &rng) }
        let dues = schedule.entries.values.map { seconds($0.nextDue - start) }
        #expect(dues.allSatisfy { $0 >= 0 && $0 < 30 })
        // Not in lock-step: the first polls fall into many different seconds.
        #expect(Set(dues.map { Int($0) }).count > 20)
        #expect(schedule.due(now: start + .seconds(30)).count == 1000)
    }

    @Test func aSuccessfulPollIsDueAgainAfterAnIntervalWithJitter() {
        var rng = SeededGenerator(state: 2)
        var schedule = PollSchedule(configuration: .init(interval: 60, jitter: 0.1))
        schedule.add("a", now: start, immediately: true, using: &rng)
        #expect(schedule.due(now: start) == ["a"])
        schedule.markStarted("a")
        #expect(schedule.due(now: start).isEmpty, "a running source is never started twice")
        schedule.succeeded("a", now: start, hasMore: false, using: &rng)
        let next = seconds(schedule.entries["a"]!.nextDue - start)
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
            now = now + .seconds(60)
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
        #expect(schedule.due(now: start + .seconds(3600)).isEmpty)
        #expect(schedule.nextWake == nil)
    }
}

/// The schedule runs on the monotonic clock, so setting the system clock back an hour or forward
/// a day neither stalls polling nor releases every source at once. The simulation drives the
/// schedule the way `Scheduler` does, with a wall clock that jumps and a monotonic clock that
/// does not; only the monotonic reading is handed to the schedule.
@Suite struct PollScheduleClockJumpTests {
    /// A wall clock that can be set, and a monotonic clock that only moves forward with real time.
    struct Clocks {
        var monotonic = ContinuousClock.now
        var wall = Date(timeIntervalSince1970: 1_800_000_000)
        mutating func pass(_ seconds: Double) {
            monotonic = monotonic + .seconds(seconds)
            wall = wall.addingTimeInterval(seconds)
        }
        mutating func setWall(by seconds: Double) { wall = wall.addingTimeInterval(seconds) }
    }

    @Test func aWallClockJumpBackAndForwardKeepsEverySourceOnItsInterval() {
        // Given 20 healthy sources and one failing source in backoff, polled every 60 s
        var rng = SeededGenerator(state: 11)
        var clocks = Clocks()
        var schedule = PollSchedule(configuration: .init(interval: 60, jitter: 0.1, backoffInitial: 600, backoffMax: 3600))
        for i in 0..<20 { schedule.add("s\(i)", now: clocks.monotonic, using: &rng) }
        schedule.add("failing", now: clocks.monotonic, immediately: true, using: &rng)
        var polls: [String: [Date]] = [:]
        var gaps: [String: Double] = [:]
        var lastPoll: [String: ContinuousClock.Instant] = [:]

        // When 10 real minutes pass, with the wall clock set back an hour at minute 3 and
        // forward a day at minute 6
        for second in 1...600 {
            clocks.pass(1)
            if second == 180 { clocks.setWall(by: -3600) }
            if second == 360 { clocks.setWall(by: 86400) }
            for id in schedule.due(now: clocks.monotonic) {
                schedule.markStarted(id)
                polls[id, default: []].append(clocks.wall)
                if let last = lastPoll[id] { gaps[id] = max(gaps[id] ?? 0, seconds(clocks.monotonic - last)) }
                lastPoll[id] = clocks.monotonic
                if id == "failing" {
                    schedule.failed(id, now: clocks.monotonic, using: &rng)
                } else {
                    schedule.succeeded(id, now: clocks.monotonic, hasMore: false, using: &rng)
                }
            }
        }

        // Then every healthy source was polled about every interval throughout: never stalled
        // by the jump back, never polled in a burst after the jump forward
        for i in 0..<20 {
            let count = polls["s\(i)"]?.count ?? 0
            #expect((9...11).contains(count), "s\(i) polled \(count) times in 10 minutes")
            #expect((gaps["s\(i)"] ?? 0) <= 67, "s\(i) waited \(gaps["s\(i)"] ?? 0) s between polls")
        }
        // And the failing source stayed in its backoff (300–600 s after its first failure)
        // instead of becoming due when the wall clock leapt a day
        #expect(polls["failing"]?.count == 2, "failing polled at \(polls["failing"] ?? [])")
    }

    @Test func dueTimesAreMonotonicInstantsNotWallClockDates() {
        // Given a source polled and due again after an interval
        var rng = SeededGenerator(state: 12)
        let now = ContinuousClock.now
        var schedule = PollSchedule(configuration: .init(interval: 60, jitter: 0))
        schedule.add("a", now: now, immediately: true, using: &rng)
        schedule.markStarted("a")
        schedule.succeeded("a", now: now, hasMore: false, using: &rng)

        // Then it is due exactly one interval later on the monotonic clock, whatever the wall clock says
        #expect(schedule.due(now: now + .seconds(59.9)).isEmpty)
        #expect(schedule.due(now: now + .seconds(60)) == ["a"])
        #expect(schedule.nextWake == now + .seconds(60))
    }
}

@Suite struct PollScheduleStoreFailureTests {
    @Test func aStoreFailureIsRetriedWithinOneIntervalWhateverTheBackoff() {
        // Given a source with a long backoff that has failed many times
        var rng = SeededGenerator(state: 13)
        let start = ContinuousClock.now
        var schedule = PollSchedule(configuration: .init(interval: 60, backoffInitial: 30, backoffMax: 3600))
        schedule.add("a", now: start, immediately: true, using: &rng)
        var delays: [TimeInterval] = []
        for _ in 0..<10 {
            schedule.markStarted("a")
            // When its pages cannot be stored (capped at the interval, as the scheduler does)
            delays.append(schedule.failed("a", now: start, maxDelay: 60, using: &rng))
        }
        // Then it is retried within one interval each time, still counting its failures
        #expect(delays.allSatisfy { $0 <= 60 }, "\(delays)")
        #expect(delays.first! >= 15, "the first retry still backs off: \(delays)")
        #expect(schedule.entries["a"]!.consecutiveFailures == 10)
    }
}
