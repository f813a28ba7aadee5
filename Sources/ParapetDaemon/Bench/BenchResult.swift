import Foundation

/// One measured benchmark: how many events in how long, the peak memory, and the target.
public struct BenchResult: Sendable, Codable {
    public var name: String
    public var events: Int
    public var seconds: Double
    /// Peak resident memory in bytes (the process's, or the child's for whole-process runs).
    public var peakBytes: Int?
    /// User plus system CPU seconds of a whole-process run (nil when not measured): with work on
    /// more than one core it exceeds `seconds`, and `eventsPerCPUSecond` is the per-core rate.
    public var cpuSeconds: Double?
    /// The target in words (`≥ 100,000 events/s, ≤ 150 MB`).
    public var target: String
    /// Whether the target was met; nil when there is no target at this size.
    public var met: Bool?
    /// Anything else worth knowing (matches, duplicates, medians).
    public var note: String
    /// The 1-minute load average when the measurement ended.
    public var load: Double?

    public init(name: String, events: Int, seconds: Double, peakBytes: Int?, cpuSeconds: Double? = nil, target: String = "",
                met: Bool? = nil, note: String = "", load: Double? = LoadAverage.oneMinute()) {
        self.name = name
        self.events = events
        self.seconds = seconds
        self.peakBytes = peakBytes
        self.cpuSeconds = cpuSeconds
        self.target = target
        self.met = met
        self.note = note
        self.load = load
    }

    /// Events per second (0 when nothing was timed).
    public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }

    /// Events per CPU second (user plus system), nil when CPU time was not measured.
    public var eventsPerCPUSecond: Double? {
        cpuSeconds.flatMap { $0 > 0 ? Double(events) / $0 : nil }
    }

    /// Peak memory in MB.
    public var peakMB: Double? { peakBytes.map { Double($0) / 1_048_576 } }
}

/// The system load average (`/proc/loadavg`): the machine is shared, so every figure carries it.
public enum LoadAverage {
    /// The 1-minute load average, or nil where `/proc/loadavg` is missing.
    public static func oneMinute() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
    }
}
