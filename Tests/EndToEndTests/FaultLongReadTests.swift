import Foundation
import ParapetCore
import ParapetTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// WAL readers never block the writer, with the real binary: another process holds one read
/// transaction open for the whole of an ingestion while `parapet violations list` runs again and
/// again. The daemon must keep committing, the reader keep its consistent snapshot, the CLI never
/// meet SQLITE_BUSY, and once the reader lets go the WAL must be checkpointed and reused.
@Suite(.serialized) struct FaultLongReadTests {
    @Test(.timeLimit(.minutes(2)))
    func aLongReadNeitherBlocksIngestionNorLeavesTheWALGrowing() async throws {
        let logs = DurabilityLogs(filesPerAccount: 4, recordsPerFile: 300, seed: 0x5EED_0004)
        let perPart = DurabilityLogs.accounts.count * logs.recordsPerFile
        // Given an uninterrupted run of the input
        let reference = try DurabilityExample(logs: logs, baseURL: nil, secret: nil)
        defer { reference.remove() }
        let once = try await CommandRunner.parapet(["run", "--config", reference.config, "--once"])
        try #require(once.status == 0, "\(once.stderr)")
        let expected = try await DurabilitySnapshot.take(config: reference.config)

        // And a daemon that has stored the first file of every account
        let example = try DurabilityExample(logs: logs, baseURL: nil, secret: nil, staged: true)
        defer { example.remove() }
        let database = example.directory.file("state/parapet.db").path
        let daemon = try DaemonProcess(arguments: example.daemonArguments)
        defer { daemon.stop() }
        try #require(try await daemon.waitForLog("parapet started", timeout: 30), "log: \(daemon.log)")
        try example.releaseLogs { $0 == "part-0.jsonl" }
        try #require(try await Self.waitForEvents(perPart, in: database), "log: \(daemon.log.suffix(2000))")
        #expect(try await Self.sqlite(database, "PRAGMA journal_mode") == "wal")

        // And another process holding a read transaction open on it
        let reader = try FaultReader(database: database)
        defer { reader.stop() }
        let held = try await reader.snapshot()
        #expect(held.events == perPart && held.violations > 0 && held.orphanViolations == 0, "\(held)")
        let walAtStart = Self.size(database + "-wal")

        // When two more files of every account arrive while the reader holds its transaction
        try example.releaseLogs { $0 == "part-1.jsonl" || $0 == "part-2.jsonl" }

        // Then the daemon keeps committing; the reader's snapshot does not move; the CLI, run
        // again and again (at least three times, however fast the daemon stores the new
        // files), always answers
        var stored = 0
        var listings = 0
        for _ in 0..<300 where stored < 3 * perPart || listings < 3 {
            let list = try await CommandRunner.parapet(["violations", "list", "--config", example.config, "--format", "json", "--limit", "100000"])
            listings += 1
            #expect(list.status == 0 && !list.stderr.localizedCaseInsensitiveContains("locked")
                    && !list.stderr.localizedCaseInsensitiveContains("busy"), "violations list: \(list.stderr)")
            #expect(try await reader.snapshot() == held)
            stored = try await Self.events(in: database)
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(stored == 3 * perPart, "the daemon stored \(stored) of \(3 * perPart) events while a reader held a transaction; log: \(daemon.log.suffix(2000))")
        let walWhileHeld = Self.size(database + "-wal")
        #expect(walWhileHeld > walAtStart, "the WAL should hold the commits the reader pins (\(walAtStart) → \(walWhileHeld) bytes)")
        let sequenceWhileHeld = try Self.walCheckpointSequence(database)
        let databaseWhileHeld = Self.size(database)

        // When the reader lets go
        try await reader.release()

        // Then the daemon's next commits checkpoint the WAL into the database and start it over
        // (its checkpoint sequence number moves on)
        var sequence = sequenceWhileHeld
        for _ in 0..<150 where sequence == sequenceWhileHeld {
            try await Task.sleep(for: .milliseconds(100))
            sequence = try Self.walCheckpointSequence(database)
        }
        #expect(sequence > sequenceWhileHeld, "the WAL was not checkpointed and restarted after the reader let go")
        #expect(Self.size(database) > databaseWhileHeld, "the checkpoint should have copied the pinned commits into the database")
        let walAfterRestart = Self.size(database + "-wal")

        // When the last file of every account arrives
        try example.releaseLogs()

        // Then everything is stored as in the uninterrupted run
        try #require(try await Self.waitForEvents(4 * perPart, in: database), "log: \(daemon.log.suffix(2000))")
        var snapshot = try await DurabilitySnapshot.take(config: example.config)
        for _ in 0..<40 where snapshot != expected {
            try await Task.sleep(for: .milliseconds(250))
            snapshot = try await DurabilitySnapshot.take(config: example.config)
        }
        #expect(snapshot == expected, "\(snapshot.differences(from: expected))")
        // And the new commits reused the WAL instead of growing it
        #expect(Self.size(database + "-wal") <= walAfterRestart,
                "the WAL grew after it was checkpointed: \(walAfterRestart) → \(Self.size(database + "-wal")) bytes")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit(timeout: 30) == 0)
        #expect(try await Self.sqlite(database, "PRAGMA integrity_check") == "ok")
    }

    static func sqlite(_ database: String, _ sql: String) async throws -> String {
        let result = try await CommandRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), ["-readonly", database, sql])
        try #require(result.status == 0, "sqlite3 \(sql): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func events(in database: String) async throws -> Int {
        Int(try await sqlite(database, "SELECT count(*) FROM event")) ?? -1
    }

    /// Waits (up to 60 s) until `count` events are stored.
    static func waitForEvents(_ count: Int, in database: String) async throws -> Bool {
        for _ in 0..<600 {
            if try await events(in: database) == count { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The WAL header's checkpoint sequence number (big-endian at offset 12): it grows each time
    /// SQLite restarts the WAL after a complete checkpoint.
    static func walCheckpointSequence(_ database: String) throws -> UInt32 {
        let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: database + "-wal"))
        defer { try? header.close() }
        let bytes = [UInt8](try header.read(upToCount: 16) ?? Data())
        try #require(bytes.count == 16, "the WAL has no header")
        return bytes[12..<16].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
