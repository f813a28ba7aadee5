import Foundation
import ParapetCore

/// The management-group path of every subscription the principal can see, from Entities List
/// (`POST /providers/Microsoft.Management/getEntities?api-version=2020-05-01`, `nextLink` followed
/// on the management host only): each subscription's `parentDisplayNameChain`, from the tenant
/// root group down (`Tenant Root Group/Contoso/Engineering/Payments`). When an entity carries no
/// chain, the path is rebuilt from the `parent` links of the groups listed.
struct AzureManagementGroupPaths: Sendable {
    static let apiVersion = "2020-05-01"
    /// Azure allows six levels below the root; anything longer is a loop in the answer.
    static let maxDepth = 16
    let sender: CloudRequestSender
    let management: URL
    let timeout: TimeInterval
    let subject: String

    enum Outcome: Sendable {
        /// Subscription id (lower-cased) → path.
        case paths([String: String])
        /// The principal may not read management groups: the provider's own message.
        case forbidden(String)
    }

    func read() async throws -> Outcome {
        let operation = "Entities List"
        var url: URL? = URL(string: management.appendingAPIPath("/providers/Microsoft.Management/getEntities").absoluteString
            + "?api-version=\(Self.apiVersion)&$select=Name,DisplayName,Type,ParentDisplayNameChain,ParentNameChain")
        var entities: [JSONValue] = []
        while let next = url {
            let response = try await sender.send(HTTPRequest(
                method: "POST", url: next, headers: [("Accept", "application/json"), ("Cache-Control", "no-cache")], timeout: timeout))
            if response.status == 403 { return .forbidden(CloudErrorBody.summary(response.body)) }
            guard response.status == 200 else {
                throw CloudSourceError.http(response, subject: subject, operation: operation)
            }
            let page = try AzureEventsPage(response.body, subject: subject, operation: operation)
            entities += page.events
            url = try page.nextLink.map { try AzureLinkGuard.check($0, against: management, subject: subject) }
        }
        return .paths(Self.paths(entities))
    }

    /// Subscription id → path, from the chains or the parent links.
    static func paths(_ entities: [JSONValue]) -> [String: String] {
        var groups: [String: JSONValue] = [:]
        for entity in entities where !isSubscription(entity) {
            if let id = entity["id"]?.stringValue { groups[id.lowercased()] = entity }
        }
        var paths: [String: String] = [:]
        for entity in entities where isSubscription(entity) {
            guard let id = entity["name"]?.stringValue else { continue }
            let properties = entity["properties"]
            let chain = properties?["parentDisplayNameChain"]?.arrayValue?.compactMap(\.stringValue)
                ?? linkedChain(from: properties?["parent"]?["id"]?.stringValue, groups: groups)
            if !chain.isEmpty { paths[id.lowercased()] = chain.joined(separator: "/") }
        }
        return paths
    }

    static func isSubscription(_ entity: JSONValue) -> Bool {
        entity["type"]?.stringValue?.lowercased().hasSuffix("/subscriptions") == true
    }

    /// Display names from the root down to `parent`, following `parent.id` links.
    static func linkedChain(from parent: String?, groups: [String: JSONValue]) -> [String] {
        var chain: [String] = []
        var seen: Set<String> = []
        var current = parent?.lowercased()
        while let id = current, let group = groups[id], seen.insert(id).inserted, chain.count < maxDepth {
            chain.append(group["properties"]?["displayName"]?.stringValue ?? group["name"]?.stringValue ?? id)
            current = group["properties"]?["parent"]?["id"]?.stringValue?.lowercased()
        }
        return chain.reversed()
    }
}
