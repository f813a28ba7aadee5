import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ParapetCore
import ParapetPolicy

/// Policy evaluation alone, in-process: generated events (parsed and normalised beforehand)
/// evaluated against every policy, in a loop over `distinct` events until `evaluations`.
public enum EvaluationBenchmark {
    public struct Measurement: Sendable {
        public var evaluations: Int
        public var seconds: Double
        /// Violation matches found (so the work cannot be optimised away, and as a sanity check).
        public var matches: Int
        public var policies: Int
        /// Mean number of policies the index sends an event to.
        public var meanCandidates: Double
        /// Events per second of the fastest tenth of the run: on a shared machine the other
        /// tenths include time the process was not running, so this is its speed on a free core.
        public var bestTenthRate: Double
        /// CPU seconds of the evaluating thread (nil where the clock is missing): the time it
        /// ran, without the time the shared machine gave to others.
        public var cpuSeconds: Double?
    }

    /// CPU seconds used so far by the calling thread.
    static func threadCPUSeconds() -> Double? {
        var now = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) == 0 else { return nil }
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Evaluates `evaluations` events (cycling over `distinct` generated ones).
    public static func run(generator: EventGenerator, seed: UInt64, distinct: Int, evaluations: Int) throws -> Measurement {
        var stream = generator.stream(seed: seed)
        let directory = AccountDirectory(configured: generator.accounts.all)
        var events: [AuditEvent] = []
        var contexts: [AccountContext] = []
        events.reserveCapacity(distinct)
        for _ in 0..<max(1, distinct) {
            let event = try stream.nextEvent()
            events.append(event)
            contexts.append(directory.context(for: event))
        }
        let policySet = generator.configuration.policySet
        let candidates = events.reduce(0) { $0 + policySet.candidateCount(for: $1) }
        let now = Date()
        var matches = 0
        let clock = ContinuousClock()
        let cpuStarted = threadCPUSeconds()
        let started = clock.now
        let total = max(0, evaluations)
        var bestTenth = Double.infinity
        var done = 0
        // Each event is moved out of the array for its evaluation and back after it: passing an
        // element read in place (from an array, a buffer or a class) copied the event and its
        // context — a retain and release of every string — on each evaluation, ~6 % of this loop
        // that the daemon, which evaluates an event it owns, does not pay.
        events.withUnsafeMutableBufferPointer { events in
            contexts.withUnsafeMutableBufferPointer { contexts in
                guard let eventBase = events.baseAddress, let contextBase = contexts.baseAddress else { return }
                for tenth in 1...10 {
                    let end = total * tenth / 10
                    let tenthStarted = clock.now
                    while done < end {
                        let i = done % events.count
                        let event = (eventBase + i).move()
                        let context = (contextBase + i).move()
                        for match in policySet.evaluate(event, context: context, now: now) where match.kind == .violation {
                            matches += 1
                        }
                        (eventBase + i).initialize(to: consume event)
                        (contextBase + i).initialize(to: consume context)
                        done += 1
                    }
                    if end > total * (tenth - 1) / 10 { bestTenth = min(bestTenth, (clock.now - tenthStarted).seconds) }
                }
            }
        }
        let seconds = (clock.now - started).seconds
        let cpuSeconds = threadCPUSeconds().flatMap { end in cpuStarted.map { end - $0 } }
        let tenthRate = bestTenth.isFinite && bestTenth > 0 ? Double(total) / 10 / bestTenth : 0
        return Measurement(evaluations: evaluations, seconds: seconds, matches: matches, policies: policySet.policies.count,
                           meanCandidates: Double(candidates) / Double(max(1, events.count)), bestTenthRate: tenthRate,
                           cpuSeconds: cpuSeconds)
    }
}
