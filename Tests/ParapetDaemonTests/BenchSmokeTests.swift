import Foundation
import ParapetCore
import ParapetPolicy
import ParapetProviders
import ParapetStore
import ParapetTesting
import Testing
@testable import ParapetDaemon

/// The benchmark suite at a tiny size: the generator and the in-process benchmarks produce sane
/// counts. No timing thresholds: speed is measured by `parapet bench`, never asserted here.
@Suite struct BenchSmokeTests {
    /// SigmaHQ's cloud rules and the built-in packs, loaded once for every test.
    static let policies = PolicyLoader(expansions: ["allowed_regions": ["eu-west-1", "us-east-1"]]).load(paths: [
        PackagePaths.shared.appendingPathComponent("sigma/rules").path, PackagePaths.root.appendingPathComponent("policies").path,
    ])

    static func generator(matchShare: Double = 0.02) throws -> EventGenerator {
        #expect(!policies.hasErrors)
        var configuration = EventGenerator.Configuration(samples: PackagePaths.shared.appendingPathComponent("samples").path,
                                                         policySet: policies.policySet)
        configuration.matchShare = matchShare
        return try EventGenerator(configuration: configuration, accounts: BenchAccounts(seed: 7, awsCount: 20, gcpCount: 5, azureCount: 5, teamCount: 4))
    }

    @Test func theGeneratorWritesNormalisableEventsOfEveryFeedDeterministically() throws {
        // Given a generator over the real samples and policies
        let generator = try Self.generator()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        // When it writes 2,000 events twice with the same seed and once with another
        let first = try generator.write(count: 1_000, seed: 1, to: directory.file("a.jsonl").path)
        _ = try generator.write(count: 1_000, seed: 1, to: directory.file("b.jsonl").path)
        _ = try generator.write(count: 1_000, seed: 2, to: directory.file("c.jsonl").path)

        // Then every line normalises, ids are unique, all three feeds appear and the output is reproducible
        let a = try Data(contentsOf: directory.file("a.jsonl"))
        #expect(a == (try Data(contentsOf: directory.file("b.jsonl"))))
        #expect(a != (try Data(contentsOf: directory.file("c.jsonl"))))
        let lines = a.split(separator: 0x0A)
        #expect(lines.count == 1_000)
        var ids = Set<String>()
        var feeds = Set<Feed>()
        for line in lines {
            let event = try Normaliser.normalise(try JSONValue(parsingBytes: line))
            ids.insert("\(event.provider.rawValue) \(event.account) \(event.eventID)")
            feeds.insert(event.feed)
        }
        #expect(ids.count == 1_000)
        #expect(feeds == [.cloudtrail, .gcpAudit, .azureActivity])
        #expect(first.count == 1_000 && first.checked == 1_000)
        // About 2 % are drawn from matching samples; the measured share is in a sane band
        #expect(first.matchShare > 0.002 && first.matchShare < 0.10, "share \(first.matchShare)")
    }

    @Test func theEvaluationBenchmarkCountsItsEvaluationsAndMatches() throws {
        // Given a generator where a third of the events come from matching samples
        let generator = try Self.generator(matchShare: 0.33)

        // When 2,000 evaluations run over 200 distinct events
        let measurement = try EvaluationBenchmark.run(generator: generator, seed: 3, distinct: 200, evaluations: 1_000)

        // Then all were evaluated against every policy and some matched
        #expect(measurement.evaluations == 1_000)
        #expect(measurement.seconds > 0)
        #expect(measurement.matches > 0)
        #expect(measurement.policies > 100)
    }

    @Test func theQueryBenchmarkStoresViolationsAndFindsTheFilteredOnes() throws {
        // Given a store populated with 300 violations
        let generator = try Self.generator()
        let store = try Store.inMemory()
        try QueryBenchmark.populate(store: store, generator: generator, seed: 5, count: 300, pageSize: 100)

        // When the violations are listed without and with filters
        let all = try store.violations(ViolationFilter(limit: 1_000))
        let team = generator.accounts.teams[0]
        let measured = try QueryBenchmark.measure(store: store, filter: ViolationFilter(team: team, limit: 1_000), runs: 3)

        // Then every violation is there and the filter returns only that team's
        #expect(all.count == 300)
        #expect(measured.rows == all.filter { $0.team == team }.count)
        #expect(measured.rows > 0)
        #expect(measured.median > 0)
    }

    @Test func theScaleBenchmarkPollsEverySourceOnceIntoSQLite() async throws {
        // Given 40 fake sources of 5 events each
        let generator = try Self.generator()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        // When one cycle runs with 8 polls at once
        let measurement = try await ScaleBenchmark.run(generator: generator, seed: 9, sources: 40, pageSize: 5, concurrency: 8,
                                                       directory: directory.path)

        // Then every source was polled without failure and every event stored
        #expect(measurement.failures == 0)
        #expect(measurement.events == 200)
        #expect(measurement.seconds > 0)
        let store = try Store.openReadOnly(path: directory.file("scale.db").path)
        #expect(try store.sources().count == 40)
    }
}
