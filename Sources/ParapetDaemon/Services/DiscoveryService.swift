import Foundation
import Logging
import ParapetCore
import ParapetProviders
import ServiceLifecycle

/// Control Tower–style discovery: the accounts of the AWS Organization (with OU paths), GCP
/// projects under folders, Azure subscriptions. New accounts are picked up on the next refresh
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

    /// Every provider's accounts; a provider that fails is reported and contributes `previous`'s accounts.
    func discover(previous: [Account]) async -> (accounts: [Account], errors: [String]) {
        var accounts: [Account] = []
        var errors: [String] = []
        let d = configuration.discovery
        if let organizations = d.awsOrganizations {
            do {
                let discovery = OrganizationsDiscovery(
                    configuration: .init(
                        teams: Dictionary(organizations.teams.map { ($0.glob, $0.team) }, uniquingKeysWith: { first, _ in first }),
                        teamTagKey: organizations.teamTag, roleARN: organizations.roleARN),
                    client: clients.aws)
                accounts += try await discovery.discover()
            } catch {
                errors.append("AWS Organizations: \(error)")
                accounts += previous.filter { $0.provider == .aws }
            }
        }
        if let projects = d.gcpProjects {
            do {
                let discovery = GCPProjectDiscovery(
                    configuration: .init(parents: projects.parents, teamLabel: projects.teamLabel, teams: projects.teams),
                    gcp: clients.gcp, tokens: clients.gcpTokens, http: clients.http)
                accounts += try await discovery.accounts()
            } catch {
                errors.append("GCP projects: \(error)")
                accounts += previous.filter { $0.provider == .gcp }
            }
        }
        if let subscriptions = d.azureSubscriptions {
            do {
                let discovery = AzureSubscriptionDiscovery(
                    configuration: .init(teamTag: subscriptions.teamTag), azure: clients.azure, tokens: clients.azureTokens,
                    http: clients.http)
                accounts += try await discovery.accounts()
            } catch {
                errors.append("Azure subscriptions: \(error)")
                accounts += previous.filter { $0.provider == .azure }
            }
        }
        return (accounts, errors)
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
        let (accounts, errors) = await discovery.discover(previous: previous)
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
