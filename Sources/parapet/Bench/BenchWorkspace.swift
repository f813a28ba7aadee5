import Foundation
import ParapetCore
import ParapetDaemon

/// The folder a benchmark run works in: generated inputs (reused across benchmarks of one run),
/// configurations and databases.
struct BenchWorkspace {
    let directory: URL
    /// True for the folder made under the temporary directory when no folder was given: it is
    /// removed after the run (`removeIfTemporary`), since a full-size run leaves gigabytes.
    let isTemporary: Bool

    /// Uses `path`, or a new folder under the temporary directory.
    init(path: String?) throws {
        isTemporary = path == nil
        directory = path.map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("parapet-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The generated inputs, databases and logs a run leaves: removed after a run unless kept.
    static let dataNames = ["inputs", "ingest.db", "ingest.db-wal", "ingest.db-shm", "query.db", "query.db-wal", "query.db-shm",
                            "replay.db", "replay.db-wal", "replay.db-shm", "scale",
                            "violations-ingest.jsonl", "violations-ingest-duplicates.jsonl", "violations-replay.jsonl"]

    /// Removes the generated data, keeping the configurations and results.
    func removeData() {
        for name in Self.dataNames { try? FileManager.default.removeItem(atPath: path(name)) }
    }

    /// Removes the whole folder when it is a temporary one (a single benchmark prints its
    /// table and keeps nothing); a folder the user named is left as it is, inputs included,
    /// for the next run to reuse.
    func removeIfTemporary() {
        if isTemporary { try? FileManager.default.removeItem(at: directory) }
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The folder of `count` generated events for `seed` (one `events.jsonl`), written if missing.
    func events(count: Int, generator: EventGenerator, seed: UInt64) throws -> (folder: String, file: String, report: GenerationReport?) {
        let folder = path("inputs/events-\(count)-seed\(seed)")
        let file = folder + "/events.jsonl"
        let done = folder + "/.complete"
        if FileManager.default.fileExists(atPath: done) { return (folder, file, nil) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let report = try generator.write(count: count, seed: seed, to: file)
        _ = FileManager.default.createFile(atPath: done, contents: Data(report.summary.utf8))
        return (folder, file, report)
    }

    /// A second folder holding the same files (hard links), read by a second source: every event
    /// in it is a duplicate of one already stored.
    func duplicateFolder(of folder: String) throws -> String {
        let copy = folder + "-copy"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".jsonl") {
            let target = copy + "/" + name
            do {
                try FileManager.default.linkItem(atPath: folder + "/" + name, toPath: target)
            } catch {
                try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: target)
            }
        }
        return copy
    }

    /// Removes a database and its WAL files.
    func removeDatabase(_ database: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }

    /// A daemon configuration: the policies, the placeholders, every generated account with its
    /// team, a violation log, and a `file` source over `sourceFolder` (if any).
    func writeConfiguration(_ name: String, database: String, policies: [String], accounts: BenchAccounts,
                            sourceFolder: String?) throws -> String {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        var lines = [
            "database: \(quoted(database))",
            "policies: [\(policies.map(quoted).joined(separator: ", "))]",
            "placeholders: { \(BenchOptions.placeholders.map { "\($0.key): [\($0.value.joined(separator: ", "))]" }.joined(separator: ", ")) }",
            "http: { listen: off }",
            "outputs: { log: \(quoted(path("violations-\(name).jsonl"))) }",
            "teams:",
        ]
        lines += accounts.teams.map { "  \($0): {}" }
        lines.append("accounts:")
        for account in accounts.all {
            lines.append("  - { provider: \(account.provider.rawValue), id: \(quoted(account.id)), name: \(quoted(account.name ?? account.id)), "
                + "team: \(account.team ?? ""), ou: \(quoted(account.ou ?? "")) }")
        }
        if let sourceFolder {
            lines.append("sources:")
            lines.append("  - { type: file, path: \(quoted(sourceFolder)) }")
        }
        let file = path("\(name).yaml")
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}
