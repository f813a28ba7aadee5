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

    /// One generated event and its account context, behind a reference.
    private final class Item {
        let event: AuditEvent
        let context: AccountContext
        init(event: AuditEvent, context: AccountContext) {
            self.event = event
            self.context = context
        }
    }

    /// Evaluates `evaluations` events (cycling over `distinct` generated ones).
    public static func run(generator: EventGenerator, seed: UInt64, distinct: Int, evaluations: Int) throws -> Measurement {
        var stream = generator.stream(seed: seed)
        let directory = AccountDirectory(configured: generator.accounts.all)
        var events: [Item] = []
        events.reserveCapacity(distinct)
        for _ in 0..<max(1, distinct) {
            let event = try stream.nextEvent()
            events.append(Item(event: event, context: directory.context(for: event)))
        }
        let policySet = generator.configuration.policySet
        let candidates = events.reduce(0) { $0 + policySet.candidateCount(for: $1.event) }
        let now = Date()
        var matches = 0
        let clock = ContinuousClock()
        let cpuStarted = threadCPUSeconds()
        let started = clock.now
        let total = max(0, evaluations)
        var bestTenth = Double.infinity
        var done = 0
        for tenth in 1...10 {
            let end = total * tenth / 10
            let tenthStarted = clock.now
            while done < end {
                // Read through the item's constants: binding the pair to locals copied the event
                // and its context (a retain and release of every string) on each evaluation.
                let item = events[done % events.count]
                for match in policySet.evaluate(item.event, context: item.context, now: now) where match.kind == .violation {
                    matches += 1
                }
                done += 1
            }
            if end > total * (tenth - 1) / 10 { bestTenth = min(bestTenth, (clock.now - tenthStarted).seconds) }
        }
        let seconds = (clock.now - started).seconds
        let cpuSeconds = threadCPUSeconds().flatMap { end in cpuStarted.map { end - $0 } }
        let tenthRate = bestTenth.isFinite && bestTenth > 0 ? Double(total) / 10 / bestTenth : 0
        return Measurement(evaluations: evaluations, seconds: seconds, matches: matches, policies: policySet.policies.count,
                           meanCandidates: Double(candidates) / Double(max(1, events.count)), bestTenthRate: tenthRate,
                           cpuSeconds: cpuSeconds)
    }
}
