import ArgumentParser
import Foundation
import ParapetDaemon

/// `parapet bench scale`: one daemon cycle over thousands of fake sources, in-process.
struct BenchScale: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "Time one poll cycle over N fake sources (20–50 ms each) into SQLite, with peak memory.")

    @OptionGroup var options: BenchOptions
    @Option(help: "tiny, small or full.") var size: BenchSize = .small
    @Option(help: "Working folder for the database (default: a temporary folder).") var work: String?
    @Option(help: "Polls at once.") var concurrency = 32
    @Option(help: "Events per source page.") var pageSize = 10

    func run() async throws {
        let workspace = try BenchWorkspace(path: work)
        defer { workspace.removeIfTemporary() }
        let generator = try options.generator()
        print(BenchTable.render([try await Self.measure(
            options: options, size: size, concurrency: concurrency, pageSize: pageSize, generator: generator, workspace: workspace)]))
    }

    static func measure(options: BenchOptions, size: BenchSize, concurrency: Int, pageSize: Int, generator: EventGenerator,
                        workspace: BenchWorkspace) async throws -> BenchResult {
        let folder = workspace.path("scale")
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        PeakMemory.resetPeak()
        let m = try await ScaleBenchmark.run(generator: generator, seed: options.seed, sources: size.sources, pageSize: pageSize,
                                             concurrency: concurrency, directory: folder)
        let peak = PeakMemory.peakBytes()
        let met = size.judged ? m.seconds <= 60 && (peak ?? .max) <= 300 * 1_048_576 && m.failures == 0 : nil
        return BenchResult(
            name: "scale (\(BenchFormat.count(m.sources)) sources)", events: m.events, seconds: m.seconds, peakBytes: peak,
            target: "one cycle ≤ 60 s, ≤ 300 MB", met: met,
            note: "concurrency \(concurrency), \(pageSize) events per source, \(m.failures) failed sources, \(m.violations) violations")
    }
}
