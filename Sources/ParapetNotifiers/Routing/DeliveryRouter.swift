import Foundation
import ParapetCore

/// Picks the routes that want a violation (one outbox row per route). Pure and immutable.
///
/// Named `DeliveryRouter`, not `Router`, so it does not collide with Hummingbird's `Router` in
/// the daemon.
public struct DeliveryRouter: Sendable, Hashable {
    public let routes: [Route]

    /// Checks that names are unique and non-empty and that URLs are http(s) with a host.
    public init(routes: [Route]) throws {
        var seen: Set<String> = []
        for route in routes {
            guard !route.name.isEmpty, !route.name.contains(where: \.isWhitespace) else {
                throw NotifierError(code: .invalidRoute, subject: route.name, detail: "a route name must be one word")
            }
            guard seen.insert(route.name).inserted else {
                throw NotifierError(code: .duplicateRoute, subject: route.name, detail: "two routes have this name")
            }
            guard let scheme = route.url.scheme?.lowercased(), scheme == "https" || scheme == "http",
                  route.url.host?.isEmpty == false
            else {
                throw NotifierError(code: .invalidRoute, subject: route.name,
                                    detail: "url \(route.url.redactedDescription) is not an http(s) URL with a host")
            }
            guard route.timeout > 0 else {
                throw NotifierError(code: .invalidRoute, subject: route.name, detail: "timeout must be positive")
            }
        }
        self.routes = routes
    }

    /// The names of every route whose filter the violation passes, in configuration order.
    public func routes(for severity: Severity, policyID: String, provider: Provider, team: String?) -> [String] {
        routes.filter { $0.filter.matches(severity: severity, policyID: policyID, provider: provider, team: team) }
            .map(\.name)
    }

    /// The route called `name`, e.g. to deliver an outbox row.
    public func route(named name: String) -> Route? {
        routes.first { $0.name == name }
    }
}
