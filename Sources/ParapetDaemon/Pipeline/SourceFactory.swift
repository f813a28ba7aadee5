import Foundation
import ParapetCore
import ParapetProviders

/// Builds the sources of a configuration: organisation-wide `sources` and each account's `source`.
struct SourceFactory {
    var configuration: ParapetConfiguration

    func makeSources() throws -> [any ActivitySource] {
        var sources: [any ActivitySource] = []
        for settings in configuration.sources {
            sources.append(contentsOf: try make(settings, account: nil, regions: []))
        }
        for account in configuration.accounts {
            guard let settings = account.source else { continue }
            sources.append(contentsOf: try make(settings, account: account.account, regions: account.regions))
        }
        var seen: Set<String> = []
        for source in sources where !seen.insert(source.id).inserted {
            throw ConfigurationError(file: configuration.file ?? "configuration", message: "two sources have the same id '\(source.id)'; give one of them a different path or account")
        }
        return sources
    }

    func make(_ settings: ParapetConfiguration.SourceSettings, account: Account?, regions: [String]) throws -> [any ActivitySource] {
        switch settings.type {
        case .file:
            let path = settings.path ?? ""
            let id = account.map { "\($0.provider.rawValue)/\($0.id)/file" } ?? "file:\(path)"
            return [FileSource(configuration: .init(
                path: path, feed: settings.feed, account: account?.id, provider: account?.provider ?? settings.feed?.provider, id: id))]
        default:
            throw ConfigurationError(
                file: settings.file, line: settings.line,
                message: "source type '\(settings.type.rawValue)' is not wired into this build yet")
        }
    }
}
