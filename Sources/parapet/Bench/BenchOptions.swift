import ArgumentParser
import Foundation
import ParapetDaemon
import ParapetPolicy

/// The inputs every benchmark shares: the samples, the policies, the seed.
struct BenchOptions: ParsableArguments {
    @Option(help: "Folder of real sample records (aws/, gcp/, azure/).") var samples = "../shared/samples"
    @Option(parsing: .upToNextOption, help: "Policy files or folders (default: ../shared/sigma/rules and policies).")
    var policies: [String] = ["../shared/sigma/rules", "policies"]
    @Option(help: "Seed of the generated events (the same seed gives the same events).") var seed: UInt64 = 42
    @Option(help: "Share of events drawn from samples that match a policy.") var matchShare = 0.02

    /// The `%placeholder%` values the policies need.
    static let placeholders: [String: [String]] = ["allowed_regions": ["eu-west-1", "us-east-1"]]

    /// The policy paths as absolute paths (children run elsewhere).
    var policyPaths: [String] { policies.map { URL(fileURLWithPath: $0).standardizedFileURL.path } }

    func loadPolicies() throws -> PolicySet {
        let loaded = PolicyLoader(expansions: Self.placeholders).load(paths: policyPaths)
        if loaded.hasErrors {
            let errors = loaded.diagnostics.filter { $0.severity == .error }.map(\.rendered)
            throw BenchError("the policies do not load:\n" + errors.prefix(10).joined(separator: "\n"))
        }
        return loaded.policySet
    }

    func generator() throws -> EventGenerator {
        var configuration = EventGenerator.Configuration(samples: samples, policySet: try loadPolicies())
        configuration.matchShare = matchShare
        return try EventGenerator(configuration: configuration, accounts: BenchAccounts(seed: seed))
    }
}

/// How big a run is: `small` for CI smoke runs (well under a minute), `full` for the targets.
enum BenchSize: String, ExpressibleByArgument, CaseIterable {
    case tiny, small, full

    var events: Int { switch self { case .tiny: 2_000; case .small: 20_000; case .full: 1_000_000 } }
    var distinctEvaluated: Int { switch self { case .tiny: 500; case .small: 5_000; case .full: 20_000 } }
    var evaluations: Int { switch self { case .tiny: 5_000; case .small: 200_000; case .full: 2_000_000 } }
    var violations: Int { switch self { case .tiny: 200; case .small: 2_000; case .full: 100_000 } }
    var sources: Int { switch self { case .tiny: 50; case .small: 500; case .full: 5_000 } }
    /// Whether targets are judged (only at full size).
    var judged: Bool { self == .full }
}

/// Formatting for the benchmark output.
enum BenchFormat {
    static func count(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }

    static func fixed(_ value: Double, _ places: Int) -> String { String(format: "%.\(places)f", value) }
}
