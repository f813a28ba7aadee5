import Foundation
import ParapetCore

/// Entities List (`POST /providers/Microsoft.Management/getEntities?api-version=2020-05-01`) as
/// documented: every management group and subscription with `properties.displayName` and
/// `properties.parent.id`, plus `parentDisplayNameChain` / `parentNameChain` (root first) when
/// `$select` asks for them; paged with `$skiptoken` and `nextLink`; 403 AuthorizationFailed for a
/// principal without a management-group role.
extension FakeAzure {
    /// A management group; the tenant root group has no parent.
    public struct ManagementGroup: Sendable {
        public var name: String
        public var displayName: String
        public var parent: String?

        public init(name: String, displayName: String, parent: String?) {
            self.name = name
            self.displayName = displayName
            self.parent = parent
        }

        var id: String { "/providers/Microsoft.Management/managementGroups/\(name)" }
    }

    func entitiesList(_ request: FakeRequest) -> FakeResponse {
        guard request.method == "POST" else {
            return armError(405, "MethodNotAllowed", "The requested resource does not support http method '\(request.method)'.")
        }
        if let refused = authorization(request) { return refused }
        entitiesRequests.append(request)
        guard ["2020-05-01", "2021-04-01", "2023-04-01"].contains(request.query["api-version"] ?? "") else {
            return armError(400, "InvalidApiVersionParameter", "The api-version '\(request.query["api-version"] ?? "")' is invalid.")
        }
        if managementGroupsForbidden {
            return armError(403, "AuthorizationFailed", "The client '\(Self.clientID)' with object id 'f409edeb-4d29-44b5-9763-ee9348ad91bb' does not have authorization to perform action 'Microsoft.Management/managementGroups/read' over scope '/providers/Microsoft.Management/managementGroups/\(Self.tenant)' or the scope is invalid. If access was recently granted, please refresh your credentials.")
        }
        let select = request.query["$select"]?.lowercased() ?? ""
        let withChains = select.isEmpty || select.contains("parentdisplaynamechain")
        let entities = managementGroups.map { entity(group: $0, withChains: withChains) }
            + subscriptions.compactMap { entity(subscription: $0, withChains: withChains) }
        let offset = Int(request.query["$skiptoken"] ?? "0") ?? 0
        let size = 2
        var answer: JSONObject = ["value": .array(Array(entities.dropFirst(offset).prefix(size))),
                                           "count": .number(Double(entities.count))]
        if offset + size < entities.count {
            var link = URLComponents(string: (nextLinkBase ?? base) + request.path)!
            link.queryItems = [URLQueryItem(name: "api-version", value: request.query["api-version"]),
                               URLQueryItem(name: "$select", value: request.query["$select"]),
                               URLQueryItem(name: "$skiptoken", value: String(offset + size))].filter { $0.value != nil }
            answer["nextLink"] = .string(link.string!)
        }
        return .json(JSONValue.object(answer).serialized())
    }

    private func entity(group: ManagementGroup, withChains: Bool) -> JSONValue {
        properties(displayName: group.displayName, parent: group.parent, withChains: withChains)
            .wrapped(id: group.id, type: "Microsoft.Management/managementGroups", name: group.name)
    }

    private func entity(subscription: JSONValue, withChains: Bool) -> JSONValue? {
        guard let id = subscription["subscriptionId"]?.stringValue else { return nil }
        return properties(displayName: subscription["displayName"]?.stringValue ?? id, parent: subscriptionGroups[id], withChains: withChains)
            .wrapped(id: "/subscriptions/\(id)", type: "/subscriptions", name: id)
    }

    private func properties(displayName: String, parent: String?, withChains: Bool) -> JSONObject {
        var properties: JSONObject = ["tenantId": .string(Self.tenant), "displayName": .string(displayName),
                                               "permissions": "view", "inheritedPermissions": "view"]
        if let parent, let group = managementGroups.first(where: { $0.name == parent }) {
            properties["parent"] = ["id": .string(group.id)]
        }
        if withChains {
            var chain: [ManagementGroup] = []
            var current = parent
            while let name = current, let group = managementGroups.first(where: { $0.name == name }), chain.count < 10 {
                chain.insert(group, at: 0)
                current = group.parent
            }
            properties["parentDisplayNameChain"] = .array(chain.map { .string($0.displayName) })
            properties["parentNameChain"] = .array(chain.map { .string($0.name) })
        }
        return properties
    }
}

private extension JSONObject {
    func wrapped(id: String, type: String, name: String) -> JSONValue {
        ["id": .string(id), "type": .string(type), "name": .string(name), "properties": .object(self)]
    }
}
