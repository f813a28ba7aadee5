import Foundation
import ParapetCore

/// A named webhook destination and the violations it wants. The daemon builds one from
/// `outputs.webhook` (everything), one per `teams.<name>.webhook` (that team's accounts, from
/// its `min_severity`), and any extra named routes.
public struct Route: Sendable, Hashable {
    /// Unique among routes; recorded on each outbox row.
    public var name: String
    public var url: URL
    /// The file holding the signing secret (see `WebhookSecret`); nil sends unsigned.
    public var secretFile: String?
    public var format: WebhookFormat
    /// Seconds to wait for the receiver.
    public var timeout: TimeInterval
    public var filter: RouteFilter

    public init(name: String, url: URL, secretFile: String? = nil, format: WebhookFormat = .cloudevents,
                timeout: TimeInterval = 10, filter: RouteFilter = .all) {
        self.name = name
        self.url = url
        self.secretFile = secretFile
        self.format = format
        self.timeout = timeout
        self.filter = filter
    }

    /// The name of the route built from `outputs.webhook`.
    public static let defaultName = "default"

    /// The `outputs.webhook` route: every violation.
    public static func outputs(url: URL, secretFile: String? = nil, format: WebhookFormat = .cloudevents) -> Route {
        Route(name: defaultName, url: url, secretFile: secretFile, format: format)
    }

    /// The `teams.<team>.webhook` route, named `team:<team>`: that team's violations from `minSeverity` up.
    public static func team(_ team: String, url: URL, secretFile: String? = nil, format: WebhookFormat = .cloudevents,
                            minSeverity: Severity? = nil) -> Route {
        Route(name: "team:\(team)", url: url, secretFile: secretFile, format: format,
              filter: RouteFilter(minSeverity: minSeverity, teams: [team]))
    }

    /// The notifier configuration for this route, reading the secret file now.
    public func notifierConfiguration(instance: String) throws -> WebhookNotifier.Configuration {
        WebhookNotifier.Configuration(url: url, secret: try secretFile.map { try WebhookSecret.load(path: $0) },
                                      format: format, timeout: timeout, instance: instance)
    }
}
