import ArgumentParser
import Foundation
import ParapetDaemon

/// `parapet bench replay`: the built binary's `parapet replay --format json` over generated
/// JSON lines, as a child process (wall time, CPU time, peak RSS), on one thread and on every core.
struct BenchReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Time `parapet replay` (read, parse, detect, normalise, evaluate, print) over N events.")

    @OptionGroup var options: BenchOptions
    @Option(help: "tiny, small or full.") var size: BenchSize = .small
    @Option(help: "Working folder for inputs (default: a temporary folder).") var work: String?

    func run() async throws {
        let workspace = try BenchWorkspace(path: work)
        defer { workspace.removeIfTemporary() }
        let generator = try options.generator()
        print(BenchTable.render(try await Self.measure(options: options, size: size, generator: generator, workspace: workspace)))
    }

    /// Two runs over the same input: `--jobs 1`, the one-core figure the target is judged on
    /// (the lower of its wall-clock and per-CPU-second rates), then `--jobs` left to its default
    /// (every core), reported without a target.
    static func measure(options: BenchOptions, size: BenchSize, generator: EventGenerator, workspace: BenchWorkspace) async throws -> [BenchResult] {
        let input = try workspace.events(count: size.events, generator: generator, seed: options.seed)
        let config = try workspace.writeConfiguration("replay", database: workspace.path("replay.db"), policies: options.policyPaths,
                                                      accounts: generator.accounts, sourceFolder: nil)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var results: [BenchResult] = []
        for (name, jobs) in [("replay", ["--jobs", "1"]), ("replay (all cores)", [])] {
            let child = try await ChildRun.run(ChildRun.parapetPath, ["replay", input.file, "--config", config, "--format", "json"] + jobs,
                                               captureStdout: false)
            try child.check("parapet replay")
            let summary = child.stderr.split(separator: "\n").last.map(String.init) ?? ""
            let wallRate = child.seconds > 0 ? Double(size.events) / child.seconds : 0
            let rate = child.cpuSeconds.map { $0 > 0 ? min(wallRate, Double(size.events) / $0) : wallRate } ?? wallRate
            let peakOK = (child.peakBytes ?? .max) <= 150 * 1_048_576
            let judged = !jobs.isEmpty
            results.append(BenchResult(
                name: name, events: size.events, seconds: child.seconds, peakBytes: child.peakBytes, cpuSeconds: child.cpuSeconds,
                target: judged ? "≥ 100,000 events/s, ≤ 150 MB" : "(reported: \(cores) cores)",
                met: judged && size.judged ? rate >= 100_000 && peakOK : nil,
                note: judged ? "--jobs 1; " + summary : summary))
        }
        return results
    }
}
