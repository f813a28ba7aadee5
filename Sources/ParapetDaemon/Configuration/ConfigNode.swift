import Foundation
import ParapetCore
import Yams

/// A YAML node with its position, for decoding configuration with errors that name
/// `file:line:column` and the key. Mappings check their keys: an unknown key is an error.
struct ConfigNode {
    let file: String
    let node: Yams.Node
    /// The dotted key path that led here (`poll.interval`), for messages.
    let path: String

    func error(_ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: node.mark?.line, column: node.mark?.column, message: message)
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node {
            return scalar.tag == Tag(.null) || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string))
        }
        return false
    }

    /// The members of a mapping, after checking that every key is one of `allowed`.
    func mapping(allowed: Set<String>? = nil) throws -> [(key: String, value: ConfigNode)] {
        guard case .mapping(let mapping) = node else {
            throw error("'\(path)' must be a mapping (key: value), found \(kindName)")
        }
        var result: [(String, ConfigNode)] = []
        var seen: Set<String> = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else {
                throw ConfigNode(file: file, node: keyNode, path: path).error("keys under '\(path)' must be strings")
            }
            if let allowed, !allowed.contains(key) {
                let hint = Self.closest(to: key, in: allowed).map { " — did you mean '\($0)'?" } ?? ""
                let known = allowed.sorted().joined(separator: ", ")
                throw ConfigNode(file: file, node: keyNode, path: path)
                    .error("unknown key '\(childPath(key))'\(hint) (known keys: \(known))")
            }
            if seen.contains(key) {
                throw ConfigNode(file: file, node: keyNode, path: path).error("duplicate key '\(childPath(key))'")
            }
            seen.insert(key)
            result.append((key, ConfigNode(file: file, node: valueNode, path: childPath(key))))
        }
        return result
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func sequence() throws -> [ConfigNode] {
        guard case .sequence(let sequence) = node else {
            throw error("'\(path)' must be a list, found \(kindName)")
        }
        return sequence.enumerated().map { ConfigNode(file: file, node: $1, path: "\(path)[\($0)]") }
    }

    /// A list, or a single scalar taken as a one-element list.
    func stringList() throws -> [String] {
        if case .scalar = node { return [try string()] }
        return try sequence().map { try $0.string() }
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node else {
            throw error("'\(path)' must be a string, found \(kindName)")
        }
        return scalar.string
    }

    func bool() throws -> Bool {
        guard case .scalar = node, let value = node.bool else {
            throw error("'\(path)' must be true or false, found '\((try? string()) ?? kindName)'")
        }
        return value
    }

    func int(range: ClosedRange<Int>? = nil) throws -> Int {
        guard case .scalar = node, let value = node.int else {
            throw error("'\(path)' must be an integer, found '\((try? string()) ?? kindName)'")
        }
        if let range, !range.contains(value) {
            throw error("'\(path)' must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
        }
        return value
    }

    func duration() throws -> TimeInterval {
        let text = try string()
        guard let value = DurationText.parse(text) else {
            throw error("'\(path)' must be a duration such as 60s, 15m, 24h or 90d, found '\(text)'")
        }
        return value
    }

    func url() throws -> URL {
        let text = try string()
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw error("'\(path)' must be an http(s) URL, found '\(text)'")
        }
        return url
    }

    func severity() throws -> Severity {
        let text = try string()
        guard let value = Severity(rawValue: text.lowercased()) else {
            throw error("'\(path)' must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
        }
        return value
    }

    func provider() throws -> Provider {
        let text = try string()
        guard let value = Provider(rawValue: text.lowercased()) else {
            throw error("'\(path)' must be one of aws, gcp, azure, found '\(text)'")
        }
        return value
    }

    /// A path; relative paths are taken relative to the configuration file's folder.
    func path(relativeTo base: URL) throws -> String {
        let text = try string()
        if text == "-" || text.hasPrefix("/") { return text }
        return base.appendingPathComponent(text).standardizedFileURL.path
    }

    var kindName: String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let s): "'\(s.string)'"
        case .alias: "an alias"
        }
    }

    static func closest(to key: String, in candidates: Set<String>) -> String? {
        let scored = candidates.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, key.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
