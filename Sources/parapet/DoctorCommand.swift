import ArgumentParser
import Foundation
import ParapetCore
import ParapetDaemon
import ParapetNotifiers
import ParapetPolicy
import ParapetStore

/// `parapet doctor`: checks the configuration, the database, the policies, the secrets, every
/// source's credentials and reachability, and the webhooks; says what is wrong and how to fix it.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check configuration, database, policies, credentials and reachability.")

    @Option(help: "Configuration file (default: ./parapet.yaml if present, else /etc/parapet/parapet.yaml).")
    var config: String?

    @Option(help: "Seconds allowed for each network check.") var timeout: Double = 10

    func run() async throws {
        var report = DoctorReport()
        let path = config ?? ParapetConfiguration.defaultPath()
        let configuration: ParapetConfiguration
        do {
            configuration = try ParapetConfiguration.load(file: path)
            report.ok("configuration", path)
        } catch {
            report.fail("configuration", "\(error)", fix: "fix the file and run `parapet doctor` again")
            report.print()
            throw ExitCode.failure
        }

        checkDatabase(configuration, &report)
        let loaded = PolicyLoader(expansions: configuration.placeholders).load(paths: configuration.policies)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        if errors.isEmpty {
            report.ok("policies", "\(loaded.policySet.policies.count) loaded, \(loaded.diagnostics.count) warning(s)")
        } else {
            report.fail("policies", "\(errors.count) error(s), first: \(errors[0].rendered)", fix: "run `parapet policy lint` and fix every error")
        }

        let routing = Routing(configuration: configuration)
        for route in routing.routes {
            switch route.target {
            case .log(let logPath):
                if logPath == "-" {
                    report.ok("route \(route.name)", "stdout")
                } else {
                    let folder = (logPath as NSString).deletingLastPathComponent
                    if FileManager.default.isWritableFile(atPath: FileManager.default.fileExists(atPath: logPath) ? logPath : folder) {
                        report.ok("route \(route.name)", logPath)
                    } else {
                        report.fail("route \(route.name)", "\(logPath) is not writable", fix: "create \(folder) and give the parapet user write access")
                    }
                }
            case .webhook(let url, let secretFile, _):
                if let secretFile {
                    do {
                        _ = try WebhookSecret.load(path: secretFile)
                    } catch {
                        report.fail("route \(route.name) secret", "\(error)", fix: "write the secret (whsec_…) to \(secretFile), readable by parapet")
                    }
                }
                await checkReachable(route.name, url, &report)
            }
        }

        do {
            // The sources alone: the doctor never opens the database for writing (that would
            // create it, or migrate one written by an earlier release under a running daemon).
            for source in try Daemon.makeSources(configuration: configuration) {
                do {
                    let detail = try await withThrowingTaskGroup(of: String?.self) { group in
                        group.addTask { try await source.check() }
                        group.addTask {
                            try await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
                            return nil
                        }
                        defer { group.cancelAll() }
                        return try await group.next() ?? nil
                    }
                    if let detail {
                        report.ok("source \(source.id)", detail)
                    } else {
                        report.fail("source \(source.id)", "no answer within \(Int(timeout))s", fix: "check network access to the provider's endpoint")
                    }
                } catch {
                    report.fail("source \(source.id)", "\(error)", fix: "check the source's credentials, role and permissions")
                }
            }
        } catch {
            report.fail("sources", "\(error)", fix: "fix the configuration")
        }
        report.print()
        if report.failures > 0 { throw ExitCode.failure }
    }

    func checkDatabase(_ configuration: ParapetConfiguration, _ report: inout DoctorReport) {
        let path = configuration.database
        if Store.hasPendingMigrations(path: path) {
            report.ok("database", "\(path) was written by an earlier release: the daemon migrates it once at its next start "
                      + "(about 35 s per million events; see Upgrading in the README)")
        } else if FileManager.default.fileExists(atPath: path) {
            do {
                let store = try Store.openReadOnly(path: path)
                let counts = try store.counts()
                report.ok("database", "\(path): \(counts.events) events, \(counts.sources) sources")
            } catch where Store.isFromNewerRelease(path: path) {
                report.fail("database", "\(error)", fix: "install the Parapet release that wrote it, or a newer one (never move it away: it holds the events and violations)")
            } catch {
                report.fail("database", "\(error)", fix: "move the file away; Parapet creates a new database at start")
            }
        } else {
            let folder = (path as NSString).deletingLastPathComponent
            if FileManager.default.isWritableFile(atPath: folder) || !FileManager.default.fileExists(atPath: folder) {
                report.ok("database", "\(path) will be created at start")
            } else {
                report.fail("database", "\(folder) is not writable", fix: "create it for the parapet user (systemd StateDirectory does)")
            }
        }
    }

    func checkReachable(_ name: String, _ url: URL, _ report: inout DoctorReport) async {
        let client = URLSessionHTTPClient(maxResponseBytes: 1024)
        do {
            let response = try await client.send(HTTPRequest(method: "HEAD", url: url, timeout: timeout))
            report.ok("route \(name)", "\(url.redactedDescription) answers (HTTP \(response.status))")
        } catch {
            report.fail("route \(name)", "\(error)", fix: "check the URL, DNS, proxy and TLS trust for \(url.host ?? "the receiver")")
        }
    }
}

/// The lines `parapet doctor` prints.
struct DoctorReport {
    var lines: [String] = []
    var failures = 0

    mutating func ok(_ what: String, _ detail: String) {
        lines.append("ok    \(what): \(detail)")
    }

    mutating func fail(_ what: String, _ detail: String, fix: String) {
        failures += 1
        lines.append("FAIL  \(what): \(detail)\n      fix: \(fix)")
    }

    func print() {
        for line in lines { Swift.print(line) }
        Swift.print(failures == 0 ? "all checks passed" : "\(failures) check\(failures == 1 ? "" : "s") failed")
    }
}
