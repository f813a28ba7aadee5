import ArgumentParser
import Foundation
import Logging
import ParapetDaemon

/// `parapet run [--config F] [--once]`
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon; with --once, one poll cycle and one delivery pass, then exit.")

    @Option(help: "Configuration file (default: ./parapet.yaml if present, else /etc/parapet/parapet.yaml).")
    var config: String?

    @Flag(help: "Poll every source once (until it has nothing more), deliver what is due, print a summary, exit.")
    var once = false

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.bootstrap()
        let path = config ?? ParapetConfiguration.defaultPath()
        let daemon: Daemon
        do {
            let configuration = try ParapetConfiguration.load(file: path)
            daemon = try Daemon.prepare(configuration: configuration, logger: logger)
        } catch {
            printError("parapet: \(error)")
            throw ExitCode.failure
        }
        for diagnostic in daemon.policyDiagnostics {
            logger.warning("policy diagnostic", metadata: ["parapet.diagnostic": "\(diagnostic.rendered)"])
        }
        guard once else {
            try await daemon.run()
            return
        }
        let report = await daemon.runOnce()
        let s = report.summary
        print("polled \(report.sources) source\(report.sources == 1 ? "" : "s"): \(s.inserted) new event\(s.inserted == 1 ? "" : "s"), "
            + "\(s.duplicates) duplicate\(s.duplicates == 1 ? "" : "s"), \(s.quarantined) quarantined; "
            + "\(s.violationsOpened.count) violation\(s.violationsOpened.count == 1 ? "" : "s") opened, \(s.grouped) grouped, "
            + "\(s.suppressed) suppressed, \(s.resolved) resolved; \(report.deliveriesAttempted) deliver\(report.deliveriesAttempted == 1 ? "y" : "ies") attempted")
        for error in report.discoveryErrors {
            printError("discovery failed: \(error)")
        }
        for failure in report.failures {
            printError("source \(failure.source) failed: \(failure.error)")
        }
        if !report.failures.isEmpty || !report.discoveryErrors.isEmpty { throw ExitCode.failure }
    }
}
