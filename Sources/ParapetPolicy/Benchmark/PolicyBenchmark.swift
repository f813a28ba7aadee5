import Foundation
import ParapetCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures how fast a policy set evaluates events on one core. Time is the calling thread's CPU
/// time, so the figure does not depend on how busy the machine is.
public enum PolicyBenchmark {
    /// Evaluates `events` once untimed (warm-up; its matches are counted), then `iterations` times
    /// timed. Returns the timed rate and the number of matches (violations, suppressed
    /// violations and resolutions) one pass over `events` produces.
    public static func evaluationThroughput(events: [AuditEvent], set: PolicySet, iterations: Int)
        -> (eventsPerSecond: Double, matches: Int)
    {
        guard !events.isEmpty else { return (0, 0) }
        let contexts = events.map(AccountContext.unknown(for:))
        let now = Date()
        func pass() -> Int {
            var found = 0
            for (event, context) in zip(events, contexts) {
                found += set.evaluate(event, context: context, now: now).count
            }
            return found
        }
        let matches = pass()
        let rounds = max(1, iterations)
        var checksum = 0
        let start = threadCPUSeconds()
        for _ in 0..<rounds { checksum &+= pass() }
        let seconds = threadCPUSeconds() - start
        precondition(checksum == matches &* rounds, "evaluation is not deterministic")
        return (Double(events.count * rounds) / max(seconds, 1e-9), matches)
    }

    /// CPU time used by the calling thread so far.
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
