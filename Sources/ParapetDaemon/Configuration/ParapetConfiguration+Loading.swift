import Foundation
import ParapetCore
import Yams

extension ParapetConfiguration {
    /// The configuration file used when none is given: `./parapet.yaml` when present, else
    /// `/etc/parapet/parapet.yaml`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let fromEnvironment = environment["PARAPET_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        if FileManager.default.fileExists(atPath: "parapet.yaml") {
            return URL(fileURLWithPath: "parapet.yaml").standardizedFileURL.path
        }
        return "/etc/parapet/parapet.yaml"
    }

    /// Reads and validates a configuration file. Relative paths inside it are taken relative to
    /// the file's folder.
    public static func load(file: String) throws -> ParapetConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: file, message: "cannot read the configuration file: \(Self.reason(error))")
        }
        return try parse(text, file: file)
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
    }

    /// Parses configuration text; `file` names it in errors and anchors relative paths.
    public static func parse(_ text: String, file: String) throws -> ParapetConfiguration {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(file: file, message: "YAML syntax error: \(error)")
        } catch {
            throw ConfigurationError(file: file, message: "YAML syntax error: \(error)")
        }
        var configuration = ParapetConfiguration()
        configuration.file = file
        guard let root else { return configuration }
        let base = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent()
        let top = ConfigNode(file: file, node: root, path: "")
        let keys: Set<String> = [
            "instance", "database", "policies", "placeholders", "poll", "http", "retention", "delivery", "health",
            "teams", "outputs", "aws", "gcp", "azure", "discovery", "sources", "accounts",
        ]
        for (key, node) in try top.mapping(allowed: keys) {
            switch key {
            case "instance": configuration.instance = try node.string()
            case "database": configuration.database = try node.path(relativeTo: base)
            case "policies":
                configuration.policies = try node.stringList().map {
                    $0.hasPrefix("/") ? $0 : base.appendingPathComponent($0).standardizedFileURL.path
                }
            case "placeholders":
                for (name, values) in try node.mapping() { configuration.placeholders[name] = try values.stringList() }
            case "poll": try configuration.poll.decode(node)
            case "http":
                for (k, v) in try node.mapping(allowed: ["listen"]) where k == "listen" {
                    let text = try v.string()
                    configuration.http.listen = (text == "off" || text.isEmpty) ? nil : text
                }
            case "retention":
                for (k, v) in try node.mapping(allowed: ["events"]) where k == "events" {
                    configuration.retention.events = try v.duration()
                }
            case "delivery": try configuration.delivery.decode(node)
            case "health": try configuration.health.decode(node)
            case "teams":
                for (name, teamNode) in try node.mapping() {
                    var team = Team()
                    try team.decode(teamNode, base: base)
                    configuration.teams[name] = team
                }
            case "outputs": try configuration.outputs.decode(node, base: base)
            case "aws": try configuration.aws.decode(node)
            case "gcp": try configuration.gcp.decode(node, base: base)
            case "azure": try configuration.azure.decode(node, base: base)
            case "discovery": try configuration.discovery.decode(node)
            case "sources":
                configuration.sources = try node.sequence().map { try SourceSettings.decode($0, base: base, inAccount: false) }
            case "accounts":
                configuration.accounts = try node.sequence().map { try AccountSettings.decode($0, base: base) }
            default: break
            }
        }
        try configuration.validate(top)
        return configuration
    }

    func validate(_ top: ConfigNode) throws {
        var seen: Set<String> = []
        for account in accounts {
            let key = "\(account.account.provider.rawValue)/\(account.account.id)"
            if seen.contains(key) {
                throw ConfigurationError(file: top.file, message: "account \(key) is listed twice under 'accounts'")
            }
            seen.insert(key)
            if let team = account.account.team, !teams.isEmpty, teams[team] == nil {
                throw ConfigurationError(
                    file: top.file,
                    message: "account \(key) names team '\(team)', which is not defined under 'teams' (defined: \(teams.keys.sorted().joined(separator: ", ")))")
            }
        }
        try discovery.validate(file: top.file, teams: Set(teams.keys))
    }
}

extension ParapetConfiguration.Poll {
    mutating func decode(_ node: ConfigNode) throws {
        for (key, value) in try node.mapping(allowed: ["interval", "concurrency", "backfill", "overlap", "timeout"]) {
            switch key {
            case "interval": interval = try value.duration()
            case "concurrency": concurrency = try value.int(range: 1...1024)
            case "backfill":
                backfill = try value.duration()
                if backfill > 90 * 86400 { throw value.error("'poll.backfill' can be at most 90d (the providers keep 90 days)") }
            case "overlap": overlap = try value.duration()
            case "timeout": timeout = try value.duration()
            default: break
            }
        }
        if interval < 1 { throw node.error("'poll.interval' must be at least 1s") }
    }
}

extension ParapetConfiguration.Delivery {
    mutating func decode(_ node: ConfigNode) throws {
        for (key, value) in try node.mapping(allowed: ["max_age", "group_window", "timeout", "retry_initial"]) {
            switch key {
            case "retry_initial": retryInitial = try value.duration()
            case "max_age": maxAge = try value.duration()
            case "group_window": groupWindow = try value.duration()
            case "timeout": timeout = try value.duration()
            default: break
            }
        }
    }
}

extension ParapetConfiguration.Health {
    mutating func decode(_ node: ConfigNode) throws {
        for (key, value) in try node.mapping(allowed: ["failing_after", "silent_after"]) {
            switch key {
            case "failing_after": failingAfter = try value.duration()
            case "silent_after": silentAfter = try value.duration()
            default: break
            }
        }
    }
}

extension ParapetConfiguration.Team {
    mutating func decode(_ node: ConfigNode, base: URL) throws {
        if node.isNull { return }
        for (key, value) in try node.mapping(allowed: ["webhook", "secret_file", "format", "min_severity"]) {
            switch key {
            case "webhook": webhook = try value.url()
            case "secret_file": secretFile = try value.path(relativeTo: base)
            case "format": format = try ParapetConfiguration.WebhookFormat.decode(value)
            case "min_severity": minSeverity = try value.severity()
            default: break
            }
        }
    }
}

extension ParapetConfiguration.WebhookFormat {
    static func decode(_ node: ConfigNode) throws -> Self {
        let text = try node.string()
        guard let format = Self(rawValue: text) else {
            throw node.error("'\(node.path)' must be cloudevents or slack, found '\(text)'")
        }
        return format
    }
}

extension ParapetConfiguration.Webhook {
    static func decode(_ node: ConfigNode, base: URL) throws -> Self {
        let members = try node.mapping(allowed: ["url", "secret_file", "format", "min_severity", "policies", "providers"])
        guard let urlNode = members.first(where: { $0.key == "url" })?.value else {
            throw node.error("'\(node.path)' needs a 'url'")
        }
        var webhook = Self(url: try urlNode.url())
        for (key, value) in members {
            switch key {
            case "secret_file": webhook.secretFile = try value.path(relativeTo: base)
            case "format": webhook.format = try ParapetConfiguration.WebhookFormat.decode(value)
            case "min_severity": webhook.minSeverity = try value.severity()
            case "policies": webhook.policies = try value.stringList()
            case "providers":
                webhook.providers = try value.sequence().map { try $0.provider() }
            default: break
            }
        }
        return webhook
    }
}

extension ParapetConfiguration.Outputs {
    mutating func decode(_ node: ConfigNode, base: URL) throws {
        for (key, value) in try node.mapping(allowed: ["webhook", "log", "routes"]) {
            switch key {
            case "webhook": webhook = try .decode(value, base: base)
            case "routes":
                for (name, routeNode) in try value.mapping() { routes[name] = try .decode(routeNode, base: base) }
            case "log":
                if case .scalar = value.node {
                    log = try value.path(relativeTo: base)
                } else {
                    for (k, v) in try value.mapping(allowed: ["path"]) where k == "path" { log = try v.path(relativeTo: base) }
                }
            default: break
            }
        }
    }
}

extension ParapetConfiguration.AWS {
    mutating func decode(_ node: ConfigNode) throws {
        for (key, value) in try node.mapping(allowed: ["region", "endpoint_url", "endpoints", "credentials", "timeout"]) {
            switch key {
            case "region": region = try value.string()
            case "endpoint_url": endpointURL = try value.url()
            case "endpoints":
                for (service, url) in try value.mapping(allowed: ["s3", "sts", "organizations", "cloudtrail", "iam"]) {
                    endpoints[service] = try url.url()
                }
            case "credentials":
                for (k, v) in try value.mapping(allowed: ["profile"]) where k == "profile" { profile = try v.string() }
            case "timeout": timeout = try value.duration()
            default: break
            }
        }
    }
}

extension ParapetConfiguration.GCP {
    mutating func decode(_ node: ConfigNode, base: URL) throws {
        for (key, value) in try node.mapping(allowed: ["credentials_file", "endpoints"]) {
            switch key {
            case "credentials_file": credentialsFile = try value.path(relativeTo: base)
            case "endpoints":
                for (service, url) in try value.mapping(allowed: ["logging", "metadata", "resourcemanager"]) {
                    endpoints[service] = try url.url()
                }
            default: break
            }
        }
    }
}

extension ParapetConfiguration.Azure {
    mutating func decode(_ node: ConfigNode, base: URL) throws {
        let keys: Set<String> = ["tenant", "client_id", "client_secret_file", "certificate_file", "endpoints"]
        for (key, value) in try node.mapping(allowed: keys) {
            switch key {
            case "tenant": tenant = try value.string()
            case "client_id": clientID = try value.string()
            case "client_secret_file": clientSecretFile = try value.path(relativeTo: base)
            case "certificate_file": certificateFile = try value.path(relativeTo: base)
            case "endpoints":
                for (service, url) in try value.mapping(allowed: ["management", "login", "imds"]) {
                    endpoints[service] = try url.url()
                }
            default: break
            }
        }
    }
}

extension ParapetConfiguration.SourceSettings {
    static func decode(_ node: ConfigNode, base: URL, inAccount: Bool) throws -> Self {
        let members = try node.mapping()
        guard let typeNode = members.first(where: { $0.key == "type" })?.value else {
            throw node.error("'\(node.path)' needs a 'type' (one of \(ParapetConfiguration.SourceType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let typeText = try typeNode.string()
        guard let type = ParapetConfiguration.SourceType(rawValue: typeText) else {
            let names = Set(ParapetConfiguration.SourceType.allCases.map(\.rawValue))
            let hint = ConfigNode.closest(to: typeText, in: names).map { " — did you mean '\($0)'?" } ?? ""
            throw typeNode.error("unknown source type '\(typeText)'\(hint) (known: \(names.sorted().joined(separator: ", ")))")
        }
        var allowed: Set<String> = ["type"]
        switch type {
        case .file: allowed.formUnion(["path", "feed", "records_per_poll"])
        case .cloudtrail: allowed.formUnion(["role_arn", "external_id", "session_name", "duration"])
        case .cloudtrailS3: allowed.formUnion(["bucket", "prefix", "organization_id", "region", "role_arn", "external_id"])
        case .gcpAudit: allowed.formUnion(["logs"])
        case .azureActivity: break
        }
        var settings = Self(type: type, file: node.file, line: node.node.mark?.line)
        for (key, value) in try node.mapping(allowed: allowed) {
            switch key {
            case "path": settings.path = try value.path(relativeTo: base)
            case "records_per_poll": settings.recordsPerPoll = try value.int(range: 100...100_000)
            case "feed":
                let text = try value.string()
                guard let feed = Feed(rawValue: text) ?? Feed.named(text) else {
                    throw value.error("unknown feed '\(text)' (known: cloudtrail, gcp.audit, azure.activitylogs)")
                }
                settings.feed = feed
            case "bucket": settings.bucket = try value.string()
            case "prefix": settings.prefix = try value.string()
            case "organization_id": settings.organizationID = try value.string()
            case "region": settings.region = try value.string()
            case "role_arn": settings.roleARN = try value.string()
            case "external_id": settings.externalID = try value.string()
            case "session_name": settings.sessionName = try value.string()
            case "duration": settings.duration = try value.duration()
            case "logs":
                settings.logs = try value.stringList()
                let known: Set<String> = ["activity", "system_event", "data_access", "policy"]
                if let bad = settings.logs.first(where: { !known.contains($0) }) {
                    throw value.error("unknown GCP audit log '\(bad)' (known: activity, system_event, data_access, policy)")
                }
            default: break
            }
        }
        switch type {
        case .file where settings.path == nil: throw node.error("a 'file' source needs a 'path'")
        case .cloudtrailS3 where settings.bucket == nil: throw node.error("a 'cloudtrail-s3' source needs a 'bucket'")
        case .cloudtrail where !inAccount, .gcpAudit where !inAccount, .azureActivity where !inAccount:
            throw node.error("a '\(type.rawValue)' source belongs to an account: list it under 'accounts' as the account's 'source'")
        default: break
        }
        return settings
    }
}

extension Feed {
    /// Accepts the logsource-style names too (`aws`, `gcp`, `azure`, `azure.activity`).
    static func named(_ text: String) -> Feed? {
        switch text.lowercased() {
        case "aws", "cloudtrail", "aws.cloudtrail": .cloudtrail
        case "gcp", "gcp.audit", "gcp-audit": .gcpAudit
        case "azure", "azure.activity", "azure.activitylogs", "azure-activity", "activitylogs": .azureActivity
        default: nil
        }
    }
}

extension ParapetConfiguration.AccountSettings {
    static func decode(_ node: ConfigNode, base: URL) throws -> Self {
        let allowed: Set<String> = ["provider", "id", "name", "team", "ou", "regions", "tags", "source"]
        let members = try node.mapping(allowed: allowed)
        guard let providerNode = members.first(where: { $0.key == "provider" })?.value else {
            throw node.error("'\(node.path)' needs a 'provider' (aws, gcp or azure)")
        }
        guard let idNode = members.first(where: { $0.key == "id" })?.value else {
            throw node.error("'\(node.path)' needs an 'id' (AWS account id, GCP project id or Azure subscription id)")
        }
        let provider = try providerNode.provider()
        let id = try idNode.string()
        if provider == .aws, !(id.count == 12 && id.allSatisfy(\.isNumber)) {
            throw idNode.error("AWS account id '\(id)' must be 12 digits; quote it (\"012345678901\") so YAML keeps leading zeros")
        }
        var settings = Self(account: Account(provider: provider, id: id))
        for (key, value) in members {
            switch key {
            case "name": settings.account.name = try value.string()
            case "team": settings.account.team = try value.string()
            case "ou": settings.account.ou = try value.string()
            case "regions": settings.regions = try value.stringList()
            case "tags":
                for (k, v) in try value.mapping() { settings.account.tags[k] = try v.string() }
            case "source": settings.source = try ParapetConfiguration.SourceSettings.decode(value, base: base, inAccount: true)
            default: break
            }
        }
        if settings.source?.type == .cloudtrail, settings.regions.isEmpty {
            throw node.error("account \(id) has a 'cloudtrail' source but no 'regions' to poll")
        }
        return settings
    }
}
