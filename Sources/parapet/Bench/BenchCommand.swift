import ArgumentParser

/// `parapet bench …`: the benchmark suite (generator, evaluation, replay, ingest, query, scale).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput and peak memory: generate events, evaluate, replay, ingest, query, scale.",
        subcommands: [
            BenchAll.self, BenchGenerate.self, BenchEvaluation.self, BenchReplay.self, BenchIngest.self, BenchQuery.self,
            BenchScale.self,
        ])
}
