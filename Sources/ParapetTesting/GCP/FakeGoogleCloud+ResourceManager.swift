import Foundation
import ParapetCore

/// Resource Manager v3 as documented: `projects.list` and `folders.list` list only the direct
/// children of `parent`, in pages with an opaque `nextPageToken` bound to the query; items not
/// ACTIVE are returned only with `showDeleted=true`; a parent the principal may not read answers
/// 403 with Google's PERMISSION_DENIED body. `folders.get` and `organizations.get` by name.
extension FakeGoogleCloud {
    func resourceList(_ request: FakeRequest, items: [JSONValue], member: String, permission: String) -> FakeResponse {
        guard authorized(request) else { return googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.") }
        guard let parent = request.query["parent"], !parent.isEmpty else {
            return googleError(400, "INVALID_ARGUMENT", "Request contains an invalid argument: parent is required")
        }
        resourceManagerRequests.append("GET \(request.path)?parent=\(parent)")
        if deniedParents.contains(parent) {
            return googleError(403, "PERMISSION_DENIED", "The caller does not have permission")
                .adding(details: permission, on: parent)
        }
        let showDeleted = request.query["showDeleted"] == "true"
        let children = items.filter {
            $0["parent"]?.stringValue == parent && (showDeleted || ($0["state"]?.stringValue ?? "ACTIVE") == "ACTIVE")
        }
        var offset = 0
        if let token = request.query["pageToken"] {
            guard let decoded = FakePageToken.decode(token), decoded.query == "\(member) \(parent)" else {
                return googleError(400, "INVALID_ARGUMENT", "Request contains an invalid argument: page token is not valid for this request")
            }
            offset = decoded.offset
        }
        let size = min(resourcePageSize, Int(request.query["pageSize"] ?? "") ?? resourcePageSize)
        var answer: JSONObject = [:]
        let page = Array(children.dropFirst(offset).prefix(size))
        if !page.isEmpty { answer[member] = .array(page) }
        if offset + size < children.count {
            answer["nextPageToken"] = .string(FakePageToken.encode(offset: offset + size, query: "\(member) \(parent)"))
        }
        return .json(JSONValue.object(answer).serialized())
    }

    func resourceGet(_ request: FakeRequest) -> FakeResponse {
        guard authorized(request) else { return googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.") }
        let name = String(request.path.dropFirst("/v3/".count))
        resourceManagerRequests.append("GET \(request.path)")
        if deniedParents.contains(name) {
            return googleError(403, "PERMISSION_DENIED", "The caller does not have permission")
        }
        guard let found = (folders + organizations).first(where: { $0["name"]?.stringValue == name }) else {
            return googleError(404, "NOT_FOUND", "\(name) not found.")
        }
        return .json(found.serialized())
    }
}

extension FakeResponse {
    /// A Google error body with an `ErrorInfo` detail naming the missing permission.
    func adding(details permission: String, on resource: String) -> FakeResponse {
        guard var json = try? JSONValue(parsing: body), var error = json["error"]?.objectValue else { return self }
        error["details"] = [["@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "IAM_PERMISSION_DENIED",
                             "domain": "cloudresourcemanager.googleapis.com",
                             "metadata": ["permission": .string(permission), "resource": .string(resource)]]]
        json = ["error": .object(error)]
        var response = self
        response.body = Data(json.serialized().utf8)
        return response
    }
}
