import Foundation
import ParapetCore

/// Loads policy files and directories (recursively, `.yml` and `.yaml`, several documents per
/// file), validates and compiles them. A broken file never keeps the others from loading.
public struct PolicyLoader: Sendable {
    /// Values for `%placeholder%`s used with the `expand` modifier.
    public var expansions: [String: [String]]
    /// The time exceptions are checked against (expired, expiring soon).
    public var now: Date

    /// Creates a loader.
    public init(expansions: [String: [String]] = [:], now: Date = Date()) {
        self.expansions = expansions
        self.now = now
    }

    /// Loads every policy under `paths`.
    public func load(paths: [String]) -> PolicyLoadResult {
        var diagnostics: [Diagnostic] = []
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.append(Diagnostic(severity: .error, file: path, line: 0, column: 0,
                                              message: "no such file or directory", hint: "check the policy path"))
                continue
            }
            files += isDirectory.boolValue ? Self.policyFiles(under: path) : [path]
        }
        var policies: [Policy] = []
        var firstSeen: [String: Policy] = [:]
        for file in files {
            var log = DiagnosticLog(file: file)
            for policy in loadFile(file, log: &log) {
                if let first = firstSeen[policy.id] {
                    log.add(.error, "duplicate policy id '\(policy.id)'",
                            at: PolicyLocation(file: file, line: policy.line, column: 1),
                            hint: "first defined at \(first.file):\(first.line); policy ids must be unique")
                    continue
                }
                firstSeen[policy.id] = policy
                policies.append(policy)
            }
            diagnostics += log.entries
        }
        return PolicyLoadResult(policySet: PolicySet(policies: policies), diagnostics: diagnostics, files: files)
    }

    /// Loads the policies of one file's text (for tools and tests that hold text, not files).
    public func load(text: String, file: String) -> PolicyLoadResult {
        var log = DiagnosticLog(file: file)
        let policies = compile(text, file: file, log: &log)
        return PolicyLoadResult(policySet: PolicySet(policies: policies), diagnostics: log.entries, files: [file])
    }

    private func loadFile(_ file: String, log: inout DiagnosticLog) -> [Policy] {
        guard let data = FileManager.default.contents(atPath: file) else {
            log.add(.error, "cannot read the file", at: PolicyLocation(file: file, line: 0, column: 0))
            return []
        }
        guard let text = String(data: data, encoding: .utf8) else {
            log.add(.error, "the file is not UTF-8 text", at: PolicyLocation(file: file, line: 0, column: 0))
            return []
        }
        return compile(text, file: file, log: &log)
    }

    private func compile(_ text: String, file: String, log: inout DiagnosticLog) -> [Policy] {
        let documents = YAMLDocuments.parse(text, file: file, log: &log)
        let compiler = PolicyDocumentCompiler(file: file, expansions: expansions, now: now)
        var policies: [Policy] = []
        var ids: [String: Int] = [:]
        for document in documents {
            guard let policy = compiler.compile(document, log: &log) else { continue }
            if let line = ids[policy.id] {
                log.add(.error, "duplicate policy id '\(policy.id)'", at: PolicyLocation(file: file, line: policy.line, column: 1),
                        hint: "first defined at \(file):\(line); policy ids must be unique")
                continue
            }
            ids[policy.id] = policy.line
            policies.append(policy)
        }
        return policies
    }

    /// `.yml` and `.yaml` files under `directory`, recursively, in a stable order.
    static func policyFiles(under directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let lower = relative.lowercased()
            guard lower.hasSuffix(".yml") || lower.hasSuffix(".yaml") else { continue }
            let full = (directory as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(full)
            }
        }
        return files.sorted()
    }
}
