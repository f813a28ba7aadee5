import Foundation
import ParapetCore

/// Walks the folder tree under one parent, depth first: the projects directly under each node,
/// then its folders. Folders and projects that are not ACTIVE are skipped (unless asked for);
/// a folder reached twice is walked once; folders deeper than `maxDepth` levels are not walked
/// (GCP allows 10 levels), with a warning.
struct GCPFolderWalk {
    /// A project and where it sits.
    struct Placed {
        var project: JSONValue
        /// Display names from the configured parent down to the project's folder.
        var path: [String]
        /// Resource names from the configured parent down to the project's folder.
        var ancestors: [String]
    }

    let reader: GCPResourceManagerReader
    let includeInactive: Bool
    let maxDepth: Int
    private(set) var projects: [Placed] = []
    private(set) var warnings: [String] = []
    private var visited: Set<String> = []
    private var listedProjects: Set<String> = []

    init(reader: GCPResourceManagerReader, includeInactive: Bool, maxDepth: Int) {
        self.reader = reader
        self.includeInactive = includeInactive
        self.maxDepth = maxDepth
    }

    /// Walks `parent` (a configured parent; its display name is `root`). A parent already
    /// walked as part of another one is skipped.
    mutating func walk(parent: String, root: String) async throws {
        guard visited.insert(parent).inserted else { return }
        try await walk(node: parent, path: [root], ancestors: [parent], depth: 0)
    }

    private mutating func walk(node: String, path: [String], ancestors: [String], depth: Int) async throws {
        for project in try await reader.projects(under: node) where isActive(project) {
            let key = project["name"]?.stringValue ?? project["projectId"]?.stringValue ?? ""
            guard listedProjects.insert(key).inserted else { continue }
            projects.append(Placed(project: project, path: path, ancestors: ancestors))
        }
        for folder in try await reader.folders(under: node) where isActive(folder) {
            guard let name = folder["name"]?.stringValue, name.hasPrefix("folders/") else {
                throw CloudSourceError(.malformedResponse, subject: GCPResourceManagerReader.subject,
                                       message: "folders.list under \(node) answered a folder without a 'folders/…' name")
            }
            let display = folder["displayName"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? String(name.dropFirst("folders/".count))
            let below = path + [display]
            guard depth < maxDepth else {
                warnings.append("folder \(name) (\(below.joined(separator: "/"))) is deeper than \(maxDepth) levels below \(ancestors[0]); its projects are not discovered")
                continue
            }
            guard visited.insert(name).inserted else {
                warnings.append("folder \(name) (\(below.joined(separator: "/"))) was reached twice; walked once")
                continue
            }
            try await walk(node: name, path: below, ancestors: ancestors + [name], depth: depth + 1)
        }
    }

    private func isActive(_ resource: JSONValue) -> Bool {
        guard !includeInactive, let state = resource["state"]?.stringValue else { return true }
        return state == "ACTIVE"
    }
}
