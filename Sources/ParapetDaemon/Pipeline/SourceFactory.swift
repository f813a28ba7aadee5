import Foundation
import ParapetCore
import ParapetProviders

/// Builds the sources of a configuration: organisation-wide `sources`, each configured account's
/// `source`, and a source for each discovered account that has none configured.
struct SourceFactory {
    var configuration: ParapetConfiguration
    var clients: ProviderClients

    func makeSources(discovered: [Account] = []) throws -> [any ActivitySource] {
        var sources: [any ActivitySource] = []
        for settings in configuration.sources {
            sources.append(contentsOf: try make(settings, account: nil, regions: []))
        }
        var configured: Set<String> = []
        for account in configuration.accounts {
            guard let settings = account.source else { continue }
            configured.insert("\(account.account.provider.rawValue)/\(account.account.id)")
            sources.append(contentsOf: try make(settings, account: account.account, regions: account.regions))
        }
        for account in discovered where !configured.contains("\(account.provider.rawValue)/\(account.id)") {
            sources.append(contentsOf: discoveredSources(for: account))
        }
        var seen: Set<String> = []
        for source in sources where !seen.insert(source.id).inserted {
            throw ConfigurationError(
                file: configuration.file ?? "configuration",
                message: "two sources have the same id '\(source.id)'; give one of them a different path, bucket or account")
        }
        return sources
    }

    func make(_ settings: ParapetConfiguration.SourceSettings, account: Account?, regions: [String]) throws -> [any ActivitySource] {
        let poll = configuration.poll
        switch settings.type {
        case .file:
            let path = settings.path ?? ""
            let id = account.map { "\($0.provider.rawValue)/\($0.id)/file" } ?? "file:\(path)"
            return [FileSource(configuration: .init(
                path: path, feed: settings.feed, account: account?.id, provider: account?.provider ?? settings.feed?.provider, id: id,
                maxRecordsPerPoll: settings.recordsPerPoll))]
        case .cloudtrail:
            guard let account else { return [] }
            let client = clients.awsClient(
                roleARN: settings.roleARN, externalID: settings.externalID, sessionName: settings.sessionName, duration: settings.duration)
            return regions.map { region in
                CloudTrailSource(
                    configuration: .init(account: account.id, region: region, overlap: poll.overlap, backfill: poll.backfill),
                    client: client, buckets: clients.buckets)
            }
        case .cloudtrailS3:
            let client = clients.awsClient(roleARN: settings.roleARN, externalID: settings.externalID, sessionName: nil, duration: nil)
            return [CloudTrailS3Source(
                configuration: .init(
                    bucket: settings.bucket ?? "", prefix: settings.prefix, organizationID: settings.organizationID,
                    region: settings.region ?? configuration.aws.region, accounts: account.map { [$0.id] },
                    backfill: poll.backfill, overlap: poll.overlap),
                client: client, decompress: { try Gzip.decompress($0) })]
        case .gcpAudit:
            guard let account else { return [] }
            return [gcpSource(project: account.id, logs: settings.logs)]
        case .azureActivity:
            guard let account else { return [] }
            return [azureSource(subscription: account.id)]
        }
    }

    func gcpSource(project: String, logs: [String]) -> any ActivitySource {
        GCPAuditSource(
            configuration: .init(project: project, logs: logs, overlap: 600, backfill: configuration.poll.backfill),
            gcp: clients.gcp, tokens: clients.gcpTokens, runtime: clients.cloudRuntime(.gcp))
    }

    func azureSource(subscription: String) -> any ActivitySource {
        AzureActivitySource(
            configuration: .init(subscription: subscription, overlap: 900, backfill: configuration.poll.backfill),
            azure: clients.azure, tokens: clients.azureTokens, runtime: clients.cloudRuntime(.azure))
    }

    /// Discovered accounts: suspended or disabled ones are not polled; AWS accounts get
    /// LookupEvents sources only when `discovery.aws_organizations` names a role and regions
    /// (otherwise the organisation trail in S3 covers them).
    func discoveredSources(for account: Account) -> [any ActivitySource] {
        let status = account.status?.uppercased() ?? "ACTIVE"
        guard !["SUSPENDED", "PENDING_CLOSURE", "CLOSED", "DISABLED", "DELETED", "DELETE_REQUESTED"].contains(status) else { return [] }
        switch account.provider {
        case .aws:
            guard let organizations = configuration.discovery.awsOrganizations, let roleName = organizations.roleName,
                !organizations.regions.isEmpty
            else { return [] }
            let client = clients.awsClient(
                roleARN: "arn:aws:iam::\(account.id):role/\(roleName)", externalID: nil, sessionName: nil, duration: nil)
            return organizations.regions.map { region in
                CloudTrailSource(
                    configuration: .init(account: account.id, region: region, overlap: configuration.poll.overlap,
                                         backfill: configuration.poll.backfill),
                    client: client, buckets: clients.buckets)
            }
        case .gcp:
            return [gcpSource(project: account.id, logs: configuration.discovery.gcpProjects?.logs ?? ["activity", "system_event"])]
        case .azure:
            return [azureSource(subscription: account.id)]
        }
    }
}
