import Foundation

/// This process's memory, from `/proc/self/status` (Linux): the peak resident set (`VmHWM`) and
/// the current one (`VmRSS`). The peak can be reset (`/proc/self/clear_refs`) so that each
/// in-process benchmark reports its own peak.
public enum PeakMemory {
    /// The peak resident set size in bytes since the start (or the last reset); nil off Linux.
    public static func peakBytes(pid: String = "self") -> Int? { field("VmHWM", pid: pid) }

    /// The current resident set size in bytes.
    public static func currentBytes(pid: String = "self") -> Int? { field("VmRSS", pid: pid) }

    /// Resets the peak to the current resident set; false when the kernel does not allow it.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    static func field(_ name: String, pid: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.dropFirst(name.count + 1).filter(\.isNumber)
            return Int(digits).map { $0 * 1024 }
        }
        return nil
    }
}
