import Foundation
import ParapetCore
import ParapetProviders

/// What `EventGenerator.write` produced.
public struct GenerationReport: Sendable {
    public var count = 0
    public var bytes = 0
    public var byFeed: [Feed: Int] = [:]
    /// Events drawn from samples that some policy flags.
    public var fromMatching = 0
    /// Events checked against the policies (every event, or an even sample of large outputs).
    public var checked = 0
    /// Of those, the events with at least one violation.
    public var matched = 0
    public var seconds = 0.0

    /// The measured share of events that match some policy.
    public var matchShare: Double { checked == 0 ? 0 : Double(matched) / Double(checked) }

    /// One line: counts per feed and the measured matching share.
    public var summary: String {
        let feeds = byFeed.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        let share = String(format: "%.2f%%", matchShare * 100)
        return "\(count) events (\(feeds)), \(bytes / 1_048_576) MB; \(share) match a policy (\(matched) of \(checked) checked)"
    }
}

extension EventGenerator {
    /// Writes `count` records as JSON lines to `path` and measures the share that matches a
    /// policy on at most `checkLimit` evenly spread events.
    public func write(count: Int, seed: UInt64, to path: String, checkLimit: Int = 50_000) throws -> GenerationReport {
        let started = ContinuousClock.now
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw BenchError("cannot create \(path) — check that its folder exists and is writable")
        }
        defer { try? handle.close() }
        var stream = stream(seed: seed)
        var report = GenerationReport()
        let directory = AccountDirectory(configured: accounts.all)
        let step = max(1, count / max(1, checkLimit))
        let now = Date()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for index in 0..<count {
            let start = buffer.count
            stream.next(into: &buffer)
            if index % step == 0 {
                report.checked += 1
                if let record = try? JSONValue(parsingBytes: buffer[start...]), let event = try? Normaliser.normalise(record),
                   configuration.policySet.evaluate(event, context: directory.context(for: event), now: now)
                    .contains(where: { $0.kind == .violation })
                {
                    report.matched += 1
                }
            }
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                report.bytes += buffer.count
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        report.bytes += buffer.count
        try handle.write(contentsOf: buffer)
        report.count = stream.count
        report.byFeed = stream.byFeed
        report.fromMatching = stream.fromMatching
        report.seconds = (ContinuousClock.now - started).seconds
        return report
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
