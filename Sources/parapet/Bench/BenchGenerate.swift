import ArgumentParser
import Foundation
import ParapetDaemon

/// `parapet bench generate --count N --seed S --output FILE`
struct BenchGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write N realistic events (JSON lines) built from the real samples, deterministic from the seed.")

    @OptionGroup var options: BenchOptions
    @Option(help: "How many events.") var count = 20_000
    @Option(help: "The JSON-lines file to write.") var output: String

    func run() async throws {
        let generator = try options.generator()
        for (feed, counts) in generator.templateCounts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            printError("\(feed.rawValue): \(counts.readOnly) read-only, \(counts.write) write, \(counts.matching) matching sample templates")
        }
        let report = try generator.write(count: count, seed: options.seed, to: output)
        print("wrote \(report.summary) to \(output) in \(BenchFormat.fixed(report.seconds, 1)) s")
    }
}
