import Foundation
import ParapetCore

/// The Resource Manager v3 reads discovery makes: a parent's display name (`GET /v3/{parent}`),
/// the folders directly under a parent (`GET /v3/folders?parent=`) and the projects directly
/// under it (`GET /v3/projects?parent=`), each list followed across `nextPageToken`.
struct GCPResourceManagerReader: Sendable {
    static let subject = "gcp discovery"
    let sender: CloudRequestSender
    let base: URL
    let timeout: TimeInterval
    /// Ask for folders and projects being deleted too.
    var showDeleted = false

    /// The display name of `parent` (`organizations/1234` → `example.com`), or nil when the
    /// principal may not read it (403) or it does not exist (404).
    func displayName(of parent: String) async throws -> String? {
        let response = try await sender.send(HTTPRequest(url: base.appendingAPIPath("/v3/\(parent)"), timeout: timeout))
        if response.status == 403 || response.status == 404 { return nil }
        guard response.status == 200 else {
            throw CloudSourceError.http(response, subject: Self.subject, operation: "get \(parent)")
        }
        return try object(response.body, operation: "get \(parent)")["displayName"]?.stringValue
    }

    /// The folders directly under `parent`.
    func folders(under parent: String) async throws -> [JSONValue] {
        try await list("/v3/folders", member: "folders", parent: parent, operation: "folders.list",
                       permission: "resourcemanager.folders.list")
    }

    /// The projects directly under `parent`.
    func projects(under parent: String) async throws -> [JSONValue] {
        try await list("/v3/projects", member: "projects", parent: parent, operation: "projects.list",
                       permission: "resourcemanager.projects.list")
    }

    private func list(_ path: String, member: String, parent: String, operation: String, permission: String) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var pageToken: String?
        var seen: Set<String> = []
        repeat {
            var components = URLComponents(url: base.appendingAPIPath(path), resolvingAgainstBaseURL: false)!
            var query = [URLQueryItem(name: "parent", value: parent), URLQueryItem(name: "pageSize", value: "500")]
            if showDeleted { query.append(URLQueryItem(name: "showDeleted", value: "true")) }
            if let pageToken { query.append(URLQueryItem(name: "pageToken", value: pageToken)) }
            components.queryItems = query
            let response = try await sender.send(HTTPRequest(url: components.url!, timeout: timeout))
            guard response.status == 200 else {
                throw CloudSourceError.http(response, subject: Self.subject, operation: "\(operation) under \(parent)",
                                            hints: [403: "grant the principal roles/browser (\(permission)) on \(parent)"])
            }
            let page = try object(response.body, operation: "\(operation) under \(parent)")
            switch page[member] {
            case nil, .null?: break
            case .array(let list)?: items += list
            default:
                throw CloudSourceError(.malformedResponse, subject: Self.subject,
                                       message: "\(operation) under \(parent) answered a page whose '\(member)' is not an array")
            }
            pageToken = page["nextPageToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if let pageToken, !seen.insert(pageToken).inserted {
                throw CloudSourceError(.malformedResponse, subject: Self.subject,
                                       message: "\(operation) under \(parent) returned the same nextPageToken twice; stopping to avoid a loop")
            }
        } while pageToken != nil
        return items
    }

    private func object(_ body: Data, operation: String) throws -> JSONValue {
        guard let json = try? JSONValue(parsing: body), json.objectValue != nil else {
            throw CloudSourceError(.malformedResponse, subject: Self.subject, message: "\(operation) answered a page that is not a JSON object")
        }
        return json
    }
}
