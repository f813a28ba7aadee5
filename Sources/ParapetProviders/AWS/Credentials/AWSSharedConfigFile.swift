import Foundation

/// The shared `credentials` and `config` INI files: sections of `key = value` lines.
/// In `config`, sections are `[profile NAME]` (and `[default]`); in `credentials`, `[NAME]`.
public struct AWSSharedConfigFile: Sendable, Hashable {
    public var path: String
    /// Profile name → settings (keys lower-cased).
    public var profiles: [String: [String: String]]

    /// Parses `text`; `isConfigFile` strips the `profile ` prefix of section names.
    public init(path: String, text: String, isConfigFile: Bool) throws {
        self.path = path
        var profiles: [String: [String: String]] = [:]
        var current: String?
        var lastKey: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw AWSError(.invalidCredentialSource, "\(path):\(index + 1): section header '\(line)' has no closing ]")
                }
                var name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if isConfigFile, name.hasPrefix("profile ") {
                    name = String(name.dropFirst("profile ".count)).trimmingCharacters(in: .whitespaces)
                }
                current = name
                profiles[name, default: [:]] = profiles[name] ?? [:]
                lastKey = nil
                continue
            }
            guard let section = current else {
                throw AWSError(.invalidCredentialSource, "\(path):\(index + 1): a setting outside of any [section]")
            }
            if rawLine.first == " " || rawLine.first == "\t", let lastKey, profiles[section]?[lastKey] == "" {
                // A continuation line of a nested block (`s3 =\n  max_concurrent_requests = 20`): ignored.
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw AWSError(.invalidCredentialSource, "\(path):\(index + 1): expected 'key = value'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let comment = value.range(of: " #") ?? value.range(of: " ;") { value = value[..<comment.lowerBound]
                .trimmingCharacters(in: .whitespaces) }
            profiles[section]![key] = value
            lastKey = key
        }
        self.profiles = profiles
    }

    /// Reads and parses the file at `path`; nil when it does not exist.
    public static func load(path: String, isConfigFile: Bool) throws -> AWSSharedConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AWSError(.invalidCredentialSource, "cannot read \(path) — check its permissions")
        }
        return try AWSSharedConfigFile(path: path, text: String(decoding: data, as: UTF8.self), isConfigFile: isConfigFile)
    }
}
