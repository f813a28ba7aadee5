import Foundation
import Logging
import ParapetCore
import ParapetStore

/// One daemon cycle over thousands of sources: `sources` fake feeds (each a small page of
/// generated events after a 20–50 ms delay) polled by `Daemon.runOnce` with `concurrency`
/// polls at once, into a new SQLite database in `directory`.
public enum ScaleBenchmark {
    public struct Measurement: Sendable {
        public var sources: Int
        public var events: Int
        public var seconds: Double
        public var failures: Int
        public var violations: Int
    }

    public static func run(generator: EventGenerator, seed: UInt64, sources count: Int, pageSize: Int, concurrency: Int,
                           directory: String) async throws -> Measurement {
        var configuration = ParapetConfiguration()
        configuration.database = URL(fileURLWithPath: directory).appendingPathComponent("scale.db").path
        configuration.poll.concurrency = concurrency
        let store = try Store(path: configuration.database)
        let state = DaemonState(policies: generator.configuration.policySet,
                                accounts: AccountDirectory(configured: generator.accounts.all),
                                routing: Routing(routes: []), instance: "bench")
        var rng = BenchRandom(seed: seed)
        let providers: [Provider] = [.aws, .aws, .aws, .gcp, .azure]
        let sources: [any ActivitySource] = (0..<count).map { index in
            let provider = providers[index % providers.count]
            let account = generator.accounts.accounts(of: provider)[index / providers.count % generator.accounts.accounts(of: provider).count]
            return FakeFeedSource(
                id: "\(provider.rawValue)/\(account.id)/fake-\(index)", provider: provider, generator: generator,
                seed: seed &+ UInt64(index), pageSize: pageSize, delay: .milliseconds(20 + Int(rng.next() % 31)))
        }
        let daemon = Daemon(configuration: configuration, store: store, state: state, sources: sources, notifiers: [:],
                            policyDiagnostics: [], clients: ProviderClients(configuration: configuration), logger: Logger(label: "parapet.bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let clock = ContinuousClock()
        let started = clock.now
        let report = await daemon.runOnce()
        let seconds = (clock.now - started).seconds
        return Measurement(sources: count, events: report.summary.inserted, seconds: seconds, failures: report.failures.count,
                           violations: report.summary.violationsOpened.count)
    }
}
