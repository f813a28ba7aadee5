import ArgumentParser
import Foundation
import ParapetCore
import ParapetDaemon
import ParapetStore

/// `parapet bench query`: `parapet violations list` with filters over many violations, as a
/// child process, and `Store.violations(filter)` in-process (median of several runs).
struct BenchQuery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Time violation queries with filters over N stored violations (CLI and in-process).")

    @OptionGroup var options: BenchOptions
    @Option(help: "tiny, small or full.") var size: BenchSize = .small
    @Option(help: "Working folder for the database (default: a temporary folder).") var work: String?
    @Option(help: "Timed runs of each query (the median is reported).") var runs = 7

    func run() async throws {
        let workspace = try BenchWorkspace(path: work)
        defer { workspace.removeIfTemporary() }
        let generator = try options.generator()
        print(BenchTable.render(try await Self.measure(options: options, size: size, runs: runs, generator: generator, workspace: workspace)))
    }

    static func measure(options: BenchOptions, size: BenchSize, runs: Int, generator: EventGenerator,
                        workspace: BenchWorkspace) async throws -> [BenchResult] {
        let database = workspace.path("query.db")
        workspace.removeDatabase(database)
        let store = try Store(path: database)
        try QueryBenchmark.populate(store: store, generator: generator, seed: options.seed ^ 0x5155, count: size.violations)
        let team = generator.accounts.teams[0]
        let filter = ViolationFilter(team: team, minimumSeverity: .high, limit: 100)
        let judged = size.judged
        let target = "< 100 ms"

        let inProcess = try QueryBenchmark.measure(store: store, filter: filter, runs: runs)
        var results = [BenchResult(
            name: "query (in-process)", events: size.violations, seconds: inProcess.median, peakBytes: nil, target: target,
            met: judged ? inProcess.median < 0.1 : nil,
            note: "Store.violations(team \(team), ≥ high, limit 100): \(inProcess.rows) rows; median of \(runs), "
                + "min \(ms(inProcess.min)), max \(ms(inProcess.max))")]

        var timings: [Double] = []
        var peak: Int?
        for _ in 0..<max(1, runs) {
            let child = try await ChildRun.run(ChildRun.parapetPath, [
                "violations", "list", "--database", database, "--severity", "high", "--team", team, "--limit", "100",
                "--format", "json",
            ], captureStdout: false)
            try child.check("parapet violations list")
            timings.append(child.seconds)
            peak = max(peak ?? 0, child.peakBytes ?? 0)
        }
        timings.sort()
        let median = timings[timings.count / 2]
        results.append(BenchResult(
            name: "query (CLI)", events: size.violations, seconds: median, peakBytes: peak, target: target,
            met: judged ? median < 0.1 : nil,
            note: "parapet violations list --severity high --team \(team) --limit 100 (whole process); median of \(timings.count), "
                + "min \(ms(timings.first!)), max \(ms(timings.last!))"))
        return results
    }

    static func ms(_ seconds: Double) -> String { BenchFormat.fixed(seconds * 1000, 1) + " ms" }
}
