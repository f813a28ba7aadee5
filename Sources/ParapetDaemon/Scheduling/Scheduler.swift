import Foundation
import Logging
import ParapetCore
import ServiceLifecycle

/// Polls every source each interval: at most `concurrency` polls at once, each source on its
/// own schedule with jitter and backoff, so one failing or slow source never delays the others.
/// On shutdown it starts no new poll and lets the running ones finish their transaction.
public actor Scheduler: Service {
    public typealias Poll = @Sendable (_ source: any ActivitySource) async -> PollResult

    public enum PollResult: Sendable {
        case success(hasMore: Bool)
        case failure(retryAfter: TimeInterval?)
        /// The page was read but could not be stored: retried within one interval.
        case storeFailure
    }

    private var schedule: PollSchedule
    private var sources: [String: any ActivitySource] = [:]
    private let concurrency: Int
    private let poll: Poll
    private let logger: Logger
    private var rng = SystemRandomNumberGenerator()
    private var cycleObserver: (@Sendable (Date) async -> Void)?
    private var polledSinceCycle: Set<String> = []

    public init(interval: TimeInterval, concurrency: Int, logger: Logger, poll: @escaping Poll) {
        self.schedule = PollSchedule(configuration: .init(interval: interval))
        self.concurrency = concurrency
        self.poll = poll
        self.logger = logger
    }

    /// Replaces the set of sources (at start, after discovery or a reload); sources that stay
    /// keep their schedule and backoff.
    public func setSources(_ newSources: [any ActivitySource]) {
        let now = ContinuousClock.now
        let ids = Set(newSources.map(\.id))
        for id in sources.keys where !ids.contains(id) { schedule.remove(id) }
        for source in newSources where sources[source.id] == nil { schedule.add(source.id, now: now, using: &rng) }
        sources = Dictionary(newSources.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Called once every known source has completed at least one poll since the last call.
    public func onCycleComplete(_ observer: @escaping @Sendable (Date) async -> Void) {
        cycleObserver = observer
    }

    public var sourceCount: Int { sources.count }

    public func run() async throws {
        await loop()
    }

    private enum Event: Sendable {
        case polled(id: String, result: PollResult)
        case tick
    }

    private func loop() async {
        await withTaskGroup(of: Event.self) { group in
            var running = 0
            var tickPending = false
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let now = ContinuousClock.now
                for id in schedule.due(now: now) where running < concurrency {
                    guard let source = sources[id] else { schedule.remove(id); continue }
                    schedule.markStarted(id)
                    running += 1
                    let poll = self.poll
                    group.addTask { .polled(id: id, result: await poll(source)) }
                }
                if !tickPending {
                    let wait = schedule.nextWake.map { max(0.005, Self.seconds(ContinuousClock.now.duration(to: $0))) } ?? 1.0
                    tickPending = true
                    // At most a second, so new sources and shutdown are noticed promptly.
                    group.addTask {
                        try? await Task.sleep(for: .milliseconds(Int(min(wait, 1.0) * 1000)))
                        return .tick
                    }
                }
                guard let event = await group.next() else { break }
                switch event {
                case .tick:
                    tickPending = false
                case .polled(let id, let result):
                    running -= 1
                    // The schedule runs on the monotonic clock; only the cycle report uses wall time.
                    let finished = ContinuousClock.now
                    switch result {
                    case .success(let hasMore): schedule.succeeded(id, now: finished, hasMore: hasMore, using: &rng)
                    case .failure(let retryAfter): schedule.failed(id, now: finished, retryAfter: retryAfter, using: &rng)
                    case .storeFailure: schedule.failed(id, now: finished, maxDelay: schedule.configuration.interval, using: &rng)
                    }
                    await noteCompleted(id, at: Date())
                }
            }
            // Drain: let running polls finish their transaction; start nothing new.
            while running > 0, let event = await group.next() {
                if case .polled = event { running -= 1 }
            }
            group.cancelAll()
        }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private func noteCompleted(_ id: String, at time: Date) async {
        polledSinceCycle.insert(id)
        if polledSinceCycle.isSuperset(of: sources.keys) {
            polledSinceCycle.removeAll()
            await cycleObserver?(time)
        }
    }
}
