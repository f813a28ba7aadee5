import Foundation
import ParapetCore

/// The daemon's configuration (`/etc/parapet/parapet.yaml`). Every component's settings are a
/// nested struct with its defaults in `init`; `ParapetConfiguration.load(file:)` decodes the YAML
/// and rejects unknown keys, missing required keys and wrong types with `file:line:column`.
public struct ParapetConfiguration: Sendable {
    public var file: String?
    public var instance: String
    public var database: String
    public var policies: [String]
    /// Values for Sigma `expand` placeholders (`%allowed_regions%`).
    public var placeholders: [String: [String]]
    public var poll: Poll
    public var http: HTTP
    public var retention: Retention
    public var delivery: Delivery
    public var health: Health
    public var teams: [String: Team]
    public var outputs: Outputs
    public var aws: AWS
    public var gcp: GCP
    public var azure: Azure
    public var discovery: Discovery
    public var sources: [SourceSettings]
    public var accounts: [AccountSettings]

    public init() {
        file = nil
        instance = ProcessInfo.processInfo.hostName
        database = "/var/lib/parapet/parapet.db"
        policies = ["/usr/share/parapet/policies", "/etc/parapet/policies"]
        placeholders = [:]
        poll = Poll()
        http = HTTP()
        retention = Retention()
        delivery = Delivery()
        health = Health()
        teams = [:]
        outputs = Outputs()
        aws = AWS()
        gcp = GCP()
        azure = Azure()
        discovery = Discovery()
        sources = []
        accounts = []
    }

    public struct Poll: Sendable {
        public var interval: TimeInterval = 60
        public var concurrency: Int = 16
        /// How far back a source reads on its first poll (at most 90 days).
        public var backfill: TimeInterval = 86400
        /// How far behind its cursor a source re-reads (late events); dedup absorbs the overlap.
        public var overlap: TimeInterval = 1200
        /// Per-poll timeout: a poll that takes longer fails and is retried with backoff.
        public var timeout: TimeInterval = 300
        public init() {}
    }

    public struct HTTP: Sendable {
        public var listen: String? = "127.0.0.1:9477"
        public init() {}
    }

    public struct Retention: Sendable {
        /// Events older than this are pruned; violations are kept.
        public var events: TimeInterval = 90 * 86400
        public init() {}
    }

    public struct Delivery: Sendable {
        /// A delivery still failing after this long is dead-lettered.
        public var maxAge: TimeInterval = 86400
        /// Repeats of a policy on the same account and resource within this window are grouped.
        public var groupWindow: TimeInterval = 3600
        public var timeout: TimeInterval = 10
        /// The first retry delay (doubling up to an hour).
        public var retryInitial: TimeInterval = 10
        public init() {}
    }

    public struct Health: Sendable {
        /// A source failing for longer than this raises a `parapet-feed-health` violation.
        public var failingAfter: TimeInterval = 3600
        /// A source with no events for this long, after having had some, raises one too (0 = off).
        public var silentAfter: TimeInterval = 0
        public init() {}
    }

    public struct Team: Sendable {
        public var webhook: URL?
        public var secretFile: String?
        public var format: WebhookFormat = .cloudevents
        public var minSeverity: Severity?
        public init() {}
    }

    public enum WebhookFormat: String, Sendable { case cloudevents, slack }

    public struct Webhook: Sendable {
        public var url: URL
        public var secretFile: String?
        public var format: WebhookFormat = .cloudevents
        public var minSeverity: Severity?
        public var policies: [String] = []
        public var providers: [Provider] = []
        public init(url: URL) { self.url = url }
    }

    public struct Outputs: Sendable {
        public var webhook: Webhook?
        /// Extra named webhook routes.
        public var routes: [String: Webhook] = [:]
        /// The violation log: a path, or "-" for stdout.
        public var log: String?
        public init() {}
    }

    public struct AWS: Sendable {
        public var region: String = "us-east-1"
        public var endpointURL: URL?
        public var endpoints: [String: URL] = [:]
        public var profile: String?
        public var timeout: TimeInterval = 30
        public init() {}
    }

    public struct GCP: Sendable {
        public var credentialsFile: String?
        public var endpoints: [String: URL] = [:]
        public init() {}
    }

    public struct Azure: Sendable {
        public var tenant: String?
        public var clientID: String?
        public var clientSecretFile: String?
        public var certificateFile: String?
        public var endpoints: [String: URL] = [:]
        public init() {}
    }

    public struct SourceSettings: Sendable {
        public var type: SourceType
        /// For `file`: a file or folder of exported logs.
        public var path: String?
        public var feed: Feed?
        /// For `file`: at most this many records per page (one transaction each); a smaller page
        /// uses less memory, a larger one fewer transactions.
        public var recordsPerPoll: Int = 5_000
        /// `cloudtrail-s3`
        public var bucket: String?
        public var prefix: String?
        public var organizationID: String?
        public var region: String?
        /// `cloudtrail`
        public var roleARN: String?
        public var externalID: String?
        public var sessionName: String?
        public var duration: TimeInterval?
        /// `gcp-audit`
        public var logs: [String] = ["activity", "system_event"]
        public var file: String
        public var line: Int?

        public init(type: SourceType, file: String = "", line: Int? = nil) {
            self.type = type
            self.file = file
            self.line = line
        }
    }

    public enum SourceType: String, Sendable, CaseIterable {
        case file
        case cloudtrail
        case cloudtrailS3 = "cloudtrail-s3"
        case gcpAudit = "gcp-audit"
        case azureActivity = "azure-activity"
    }

    public struct AccountSettings: Sendable {
        public var account: Account
        public var regions: [String] = []
        public var source: SourceSettings?
        public init(account: Account) { self.account = account }
    }
}
