import ArgumentParser
import Foundation
import ParapetDaemon

/// `parapet bench evaluation`: `PolicySet.evaluate` in a loop, in-process.
struct BenchEvaluation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluation", abstract: "Evaluate parsed events against every policy, in-process (events/s).")

    @OptionGroup var options: BenchOptions
    @Option(help: "tiny, small or full.") var size: BenchSize = .small

    func run() async throws {
        print(BenchTable.render([try Self.measure(options: options, size: size)]))
    }

    static func measure(options: BenchOptions, size: BenchSize) throws -> BenchResult {
        let generator = try options.generator()
        PeakMemory.resetPeak()
        let m = try EvaluationBenchmark.run(generator: generator, seed: options.seed, distinct: size.distinctEvaluated,
                                           evaluations: size.evaluations)
        let rate = m.seconds > 0 ? Double(m.evaluations) / m.seconds : 0
        return BenchResult(
            name: "evaluation", events: m.evaluations, seconds: m.seconds, peakBytes: PeakMemory.peakBytes(), cpuSeconds: m.cpuSeconds,
            target: "≥ 500,000 events/s", met: size.judged ? rate >= 500_000 : nil,
            note: "\(m.policies) policies, \(BenchFormat.count(size.distinctEvaluated)) distinct events, \(BenchFormat.count(m.matches)) matches, \(String(format: "%.1f", m.meanCandidates)) policies tested per event; fastest tenth \(BenchFormat.count(Int(m.bestTenthRate))) events/s")
    }
}
