import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Another process holding one read transaction open on the database (Python's sqlite3 module,
/// read-only): it answers each `snapshot()` from the same snapshot until `release()` commits.
/// Each answer: events, violations, and violations whose event row is missing.
final class FaultReader: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output: URL

    struct Snapshot: Equatable {
        var events: Int
        var violations: Int
        var orphanViolations: Int
    }

    static let script = """
        import sqlite3, sys
        db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True, isolation_level=None, timeout=10)
        db.execute("BEGIN")
        def answer():
            events = db.execute("SELECT count(*) FROM event").fetchone()[0]
            violations = db.execute("SELECT count(*) FROM violation").fetchone()[0]
            orphans = db.execute("SELECT count(*) FROM violation v WHERE v.event_rowid IS NOT NULL"
                                 " AND NOT EXISTS (SELECT 1 FROM event e WHERE e.id = v.event_rowid)").fetchone()[0]
            print(events, violations, orphans, flush=True)
        answer()
        for line in sys.stdin:
            if line.strip() == "release":
                db.execute("COMMIT")
                print("released", flush=True)
                break
            answer()
        """

    /// Opens the transaction on `database`; its first snapshot is taken at once.
    init(database: String) throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("parapet-reader-\(UUID().uuidString.prefix(8)).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, database]
        process.standardInput = input
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    private var lines: [String] {
        ((try? String(contentsOf: output, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Waits for answer number `count` (1-based); throws with the reader's output if it died.
    private func waitForLine(_ count: Int) async throws -> String {
        let deadline = Date().addingTimeInterval(20)
        while lines.count < count {
            guard process.isRunning, Date() < deadline else { throw FaultReaderError(output: lines.joined(separator: "\n")) }
            try await Task.sleep(for: .milliseconds(20))
        }
        return lines[count - 1]
    }

    private var asked = 1

    /// What the open transaction sees now.
    func snapshot() async throws -> Snapshot {
        if asked > 1 { input.fileHandleForWriting.write(Data("snapshot\n".utf8)) }
        let line = try await waitForLine(asked)
        asked += 1
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        guard numbers.count == 3 else { throw FaultReaderError(output: lines.joined(separator: "\n")) }
        return Snapshot(events: numbers[0], violations: numbers[1], orphanViolations: numbers[2])
    }

    /// Ends the transaction (COMMIT) and the process.
    func release() async throws {
        input.fileHandleForWriting.write(Data("release\n".utf8))
        let line = try await waitForLine(asked)
        guard line == "released" else { throw FaultReaderError(output: lines.joined(separator: "\n")) }
        try input.fileHandleForWriting.close()
        stop()
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: output)
    }
}

struct FaultReaderError: Error, CustomStringConvertible {
    var output: String
    var description: String { "the reader process failed or answered unexpectedly: \(output)" }
}
