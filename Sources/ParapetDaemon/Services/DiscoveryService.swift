import Foundation
import Logging
import ParapetCore
import ParapetProviders
import ServiceLifecycle

/// Control Tower–style discovery: the accounts of the AWS Organization (with OU paths), GCP
/// projects in the folder tree (with folder paths), Azure subscriptions (with management-group
/// paths when permitted). New accounts are picked up on the next refresh
/// without a restart; configured accounts override discovered ones; a failed discovery keeps
/// the previous list.
struct Discovery: Sendable {
    let configuration: ParapetConfiguration
    let clients: ProviderClients

    var isConfigured: Bool {
        let d = configuration.discovery
        return d.awsOrganizations != nil || d.gcpProjects != nil || d.azureSubscriptions != nil
    }

    var refresh: TimeInterval {
        let d = configuration.discovery
        return [d.awsOrganizations?.refresh, d.gcpProjects?.refresh, d.azureSubscriptions?.refresh].compactMap { $0 }.min() ?? 900
    }

    /// What one discovery pass found.
    struct Outcome: Sendable {
        var accounts: [Account] = []
        /// Providers that failed (they contribute the previous accounts).
        var errors: [String] = []
        /// Providers that answered with less than asked (e.g. management groups not readable).
        var warnings: [String] = []

        /// Adds what one provider's discovery finds (and its warnings, prefixed with `label`); if
        /// it fails, the error is recorded and that provider's `previous` accounts are kept.
        mutating func collect(_ label: String, _ provider: Provider, previous: [Account],
                              _ discover: () async throws -> (accounts: [Account], warnings: [String])) async {
            do {
                let found = try await discover()
                accounts += found.accounts
                warnings += found.warnings.map { "\(label): \($0)" }
            } catch {
                errors.append("\(label): \(error)")
                accounts += previous.filter { $0.provider == provider }
            }
        }
    }

    /// Every provider's accounts; a provider that fails is reported and contributes `previous`'s
    /// accounts. Warnings are logged (once per pass) with `logger`.
    func discover(previous: [Account], logger: Logger = Logger(label: "parapet.discovery")) async -> (accounts: [Account], errors: [String]) {
        let outcome = await discoverAll(previous: previous)
        for warning in outcome.warnings {
            logger.warning("discovery is incomplete", metadata: ["parapet.warning": "\(warning)"])
        }
        return (outcome.accounts, outcome.errors)
    }

    func discoverAll(previous: [Account]) async -> Outcome {
        var outcome = Outcome()
        let d = configuration.discovery
        if let organizations = d.awsOrganizations {
            await outcome.collect("AWS Organizations", .aws, previous: previous) {
                let discovery = OrganizationsDiscovery(
                    configuration: .init(teams: Self.map(organizations.teams), teamTagKey: organizations.teamTag,
                                         roleARN: organizations.roleARN),
                    client: clients.aws)
                return (try await discovery.discover(), [])
            }
        }
        if let projects = d.gcpProjects {
            await outcome.collect("GCP projects", .gcp, previous: previous) {
                let discovery = GCPProjectDiscovery(
                    configuration: .init(parents: projects.parents, teamLabel: projects.teamLabel, teams: Self.map(projects.teams),
                                         maxDepth: projects.maxDepth),
                    gcp: clients.gcp, tokens: clients.gcpTokens, http: clients.http)
                let result = try await discovery.discover()
                return (result.accounts, result.warnings)
            }
        }
        if let subscriptions = d.azureSubscriptions {
            await outcome.collect("Azure subscriptions", .azure, previous: previous) {
                let discovery = AzureSubscriptionDiscovery(
                    configuration: .init(teamTag: subscriptions.teamTag, teams: Self.map(subscriptions.teams),
                                         managementGroups: subscriptions.managementGroups),
                    azure: clients.azure, tokens: clients.azureTokens, http: clients.http)
                let result = try await discovery.discover()
                return (result.accounts, result.warnings)
            }
        }
        return outcome
    }

    /// `teams` rules as glob → team (the first written wins a duplicate).
    static func map(_ rules: [ParapetConfiguration.Discovery.TeamRule]) -> [String: String] {
        Dictionary(rules.map { ($0.glob, $0.team) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Refreshes discovery every `refresh` and hands the new accounts and sources to the daemon.
struct DiscoveryService: Service {
    let discovery: Discovery
    let state: DaemonState
    let scheduler: Scheduler
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .seconds(discovery.refresh))
            guard !Task.isCancelled && !Task.isShuttingDownGracefully else { break }
            await refreshOnce()
        }
    }

    func refreshOnce() async {
        let previous = await state.discovered
        let (accounts, errors) = await discovery.discover(previous: previous, logger: logger)
        for error in errors { logger.warning("discovery failed; keeping the previous accounts", metadata: ["parapet.error": "\(error)"]) }
        do {
            let sources = try SourceFactory(configuration: discovery.configuration, clients: discovery.clients).makeSources(discovered: accounts)
            await state.replaceDiscovered(accounts, configured: discovery.configuration.accounts.map(\.account))
            await scheduler.setSources(sources)
            logger.info("discovery refreshed", metadata: ["parapet.accounts": "\(accounts.count)", "parapet.sources": "\(sources.count)"])
        } catch {
            logger.error("discovery produced an invalid source set", metadata: ["parapet.error": "\(error)"])
        }
    }
}
