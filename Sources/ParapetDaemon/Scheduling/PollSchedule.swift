import Foundation

/// When each source is polled next: every `interval` with jitter, immediately again while a
/// source has more to read, and with exponential backoff (with jitter) after failures. A pure
/// value type: the clock and the randomness are passed in, so the rules are tested without I/O.
///
/// Times are instants of a monotonic clock (`ContinuousClock`), never wall-clock dates: when the
/// system clock is set back an hour or forward a day, every source stays due on its interval.
public struct PollSchedule: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public struct Configuration: Sendable {
        public var interval: TimeInterval
        /// Each interval is stretched or shrunk by up to this fraction, so thousands of sources
        /// do not poll in lock-step.
        public var jitter: Double = 0.1
        public var backoffInitial: TimeInterval = 30
        public var backoffMax: TimeInterval = 3600

        public init(interval: TimeInterval, jitter: Double = 0.1, backoffInitial: TimeInterval = 30,
                    backoffMax: TimeInterval = 3600) {
            self.interval = interval
            self.jitter = jitter
            self.backoffInitial = backoffInitial
            self.backoffMax = backoffMax
        }
    }

    public struct Entry: Sendable, Hashable {
        public var nextDue: Instant
        public var consecutiveFailures: Int = 0
        public var running: Bool = false
    }

    public var configuration: Configuration
    public private(set) var entries: [String: Entry] = [:]

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Adds a source; its first poll is spread over the first interval (or at once with `immediately`).
    public mutating func add<R: RandomNumberGenerator>(_ id: String, now: Instant, immediately: Bool = false, using rng: inout R) {
        guard entries[id] == nil else { return }
        let offset = immediately ? 0 : Double.random(in: 0..<max(configuration.interval * configuration.jitter, 0.001), using: &rng)
        entries[id] = Entry(nextDue: now + .seconds(offset))
    }

    public mutating func remove(_ id: String) {
        entries[id] = nil
    }

    /// Sources due at `now` that are not running, the most overdue first.
    public func due(now: Instant) -> [String] {
        entries.filter { !$0.value.running && $0.value.nextDue <= now }
            .sorted { ($0.value.nextDue, $0.key) < ($1.value.nextDue, $1.key) }
            .map(\.key)
    }

    public mutating func markStarted(_ id: String) {
        entries[id]?.running = true
    }

    /// After a successful poll: again at once when the source has more, else after an interval.
    public mutating func succeeded<R: RandomNumberGenerator>(_ id: String, now: Instant, hasMore: Bool, using rng: inout R) {
        guard var entry = entries[id] else { return }
        entry.running = false
        entry.consecutiveFailures = 0
        entry.nextDue = hasMore ? now : now + .seconds(jittered(configuration.interval, using: &rng))
        entries[id] = entry
    }

    /// After a failed poll: exponential backoff from `backoffInitial` to `backoffMax`, with
    /// jitter between half and the full delay; a `retryAfter` from the provider is honoured.
    /// `maxDelay` caps the backoff (a store failure is retried within one interval, so the
    /// daemon resumes promptly once the disk has space again).
    @discardableResult
    public mutating func failed<R: RandomNumberGenerator>(_ id: String, now: Instant, retryAfter: TimeInterval? = nil,
                                                          maxDelay: TimeInterval? = nil, using rng: inout R) -> TimeInterval {
        guard var entry = entries[id] else { return 0 }
        entry.running = false
        entry.consecutiveFailures += 1
        var delay = backoffDelay(failures: entry.consecutiveFailures, using: &rng)
        if let maxDelay { delay = min(delay, maxDelay) }
        if let retryAfter { delay = max(delay, min(retryAfter, configuration.backoffMax)) }
        entry.nextDue = now + .seconds(delay)
        entries[id] = entry
        return delay
    }

    public func backoffDelay<R: RandomNumberGenerator>(failures: Int, using rng: inout R) -> TimeInterval {
        let exponent = min(max(failures - 1, 0), 30)
        let ceiling = min(configuration.backoffMax, configuration.backoffInitial * pow(2, Double(exponent)))
        return Double.random(in: (ceiling / 2)...ceiling, using: &rng)
    }

    /// The earliest time a source not running becomes due.
    public var nextWake: Instant? {
        entries.values.filter { !$0.running }.map(\.nextDue).min()
    }

    private func jittered<R: RandomNumberGenerator>(_ interval: TimeInterval, using rng: inout R) -> TimeInterval {
        let spread = interval * configuration.jitter
        guard spread > 0 else { return interval }
        return interval + Double.random(in: -spread...spread, using: &rng)
    }
}
