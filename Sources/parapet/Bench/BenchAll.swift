import ArgumentParser
import Foundation
import ParapetDaemon

/// `parapet bench all [--size small|full] [--output DIR]`: every benchmark, then one table.
/// A missed target is reported, never an error: only a benchmark that cannot run fails.
struct BenchAll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all", abstract: "Run every benchmark and print a table (benchmark, events, seconds, events/s, peak MB, target, met?).")

    @OptionGroup var options: BenchOptions
    @Option(help: "small (CI smoke run, no targets judged) or full (1,000,000 events; targets judged).") var size: BenchSize = .small
    @Option(help: "Folder for inputs, databases and results.md / results.json (default: a temporary folder).") var output: String?
    @Flag(help: "Keep the generated inputs and databases (they are several GB at full size).") var keepData = false

    func run() async throws {
        let workspace = try BenchWorkspace(path: output)
        let started = ContinuousClock.now
        printError("parapet bench all --size \(size.rawValue) in \(workspace.directory.path) (load \(LoadAverage.oneMinute().map { BenchFormat.fixed($0, 2) } ?? "?"))")
        let generator = try options.generator()
        var results: [BenchResult] = []
        func step(_ name: String, _ body: () async throws -> [BenchResult]) async throws {
            printError("· \(name)…")
            let measured = try await body()
            for result in measured {
                printError("  \(result.name): \(BenchFormat.count(Int(result.eventsPerSecond.rounded()))) events/s, "
                    + "\(BenchFormat.fixed(result.seconds, 3)) s, peak \(result.peakMB.map { BenchFormat.fixed($0, 0) } ?? "?") MB")
            }
            results += measured
        }
        try await step("generate \(BenchFormat.count(size.events)) events") {
            PeakMemory.resetPeak()
            let input = try workspace.events(count: size.events, generator: generator, seed: options.seed)
            guard let report = input.report else {
                return [BenchResult(name: "generate", events: size.events, seconds: 0, peakBytes: nil, note: "reused \(input.file)")]
            }
            return [BenchResult(name: "generate", events: report.count, seconds: report.seconds, peakBytes: PeakMemory.peakBytes(),
                                note: report.summary)]
        }
        try await step("evaluation") { [try BenchEvaluation.measure(options: options, size: size)] }
        try await step("replay") { try await BenchReplay.measure(options: options, size: size, generator: generator, workspace: workspace) }
        try await step("ingest") { try await BenchIngest.measure(options: options, size: size, generator: generator, workspace: workspace) }
        try await step("query") { try await BenchQuery.measure(options: options, size: size, runs: 7, generator: generator, workspace: workspace) }
        try await step("scale") {
            [try await BenchScale.measure(options: options, size: size, concurrency: 32, pageSize: 10, generator: generator, workspace: workspace)]
        }
        print(BenchTable.render(results))
        let missed = results.filter { $0.met == false }.map(\.name)
        print(size.judged
            ? (missed.isEmpty ? "every target met" : "targets missed: \(missed.joined(separator: ", "))")
            : "size \(size.rawValue): targets are judged only with --size full")
        try write(results, to: workspace, seconds: (ContinuousClock.now - started).seconds)
        if !keepData { workspace.removeData() }
    }

    /// `results.md` (the Markdown table with the machine and load) and `results.json`.
    func write(_ results: [BenchResult], to workspace: BenchWorkspace, seconds: Double) throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let header = "`parapet bench all --size \(size.rawValue)` on \(cores) cores, \(Date()) (whole suite \(BenchFormat.fixed(seconds, 0)) s)"
        try (header + "\n\n" + BenchTable.markdown(results) + "\n").write(toFile: workspace.path("results.md"), atomically: true, encoding: .utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(results).write(to: URL(fileURLWithPath: workspace.path("results.json")))
        printError("results written to \(workspace.path("results.md")) and results.json")
    }
}
