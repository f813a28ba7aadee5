import Foundation
import ParapetDaemon

/// The results as a text table (terminal) or a Markdown table (RESULTS.md).
enum BenchTable {
    /// `CPU S` is the child's user+system CPU time and `EVENTS/CPU-S` the events per CPU second
    /// (whole-process runs only): the per-core rate when the work is spread over several cores.
    static let headers = ["BENCHMARK", "EVENTS", "SECONDS", "EVENTS/S", "CPU S", "EVENTS/CPU-S", "PEAK MB", "TARGET", "MET?", "LOAD", "NOTES"]

    static func cells(_ r: BenchResult) -> [String] {
        [r.name, BenchFormat.count(r.events), BenchFormat.fixed(r.seconds, 3), BenchFormat.count(Int(r.eventsPerSecond.rounded())),
         r.cpuSeconds.map { BenchFormat.fixed($0, 3) } ?? "–",
         r.eventsPerCPUSecond.map { BenchFormat.count(Int($0.rounded())) } ?? "–",
         r.peakMB.map { BenchFormat.fixed($0, 0) } ?? "–", r.target, r.met.map { $0 ? "yes" : "NO" } ?? "–",
         r.load.map { BenchFormat.fixed($0, 2) } ?? "–", r.note]
    }

    static func render(_ results: [BenchResult]) -> String {
        var table = TextTable(headers)
        table.maxWidth = 140
        for result in results { table.add(cells(result)) }
        return table.render()
    }

    static func markdown(_ results: [BenchResult]) -> String {
        var lines = ["| " + headers.map { $0.lowercased() }.joined(separator: " | ") + " |",
                     "|" + String(repeating: "---|", count: headers.count)]
        for result in results {
            lines.append("| " + cells(result).map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
