import Foundation
import GRDB
import ParapetTesting
import Testing
@testable import ParapetStore

/// Upgrading over a database written by an earlier release: only the daemon migrates it.
@Suite(.serialized) struct UpgradeTests {
    /// The example, with its database (path returned) written by `prepare` before any Parapet
    /// command has opened it.
    static func example(database prepare: (DatabaseQueue) async throws -> Void) async throws -> (TemporaryDirectory, String) {
        let example = try FirstRunTests.makeExample()
        let database = example.file("state/parapet.db").path
        try FileManager.default.createDirectory(at: example.file("state"), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: database, configuration: Store.configuration(readonly: false))
        try await prepare(queue)
        try queue.close()
        return (example, database)
    }

    @Test("the doctor and the CLI leave an earlier release's database alone; the daemon migrates it")
    func onlyTheDaemonMigrates() async throws {
        // Given the example, with a database written by the first release
        let (example, database) = try await Self.example { queue in
            try StoreMigrator.migrator.migrate(queue, upTo: "v1: violations and outbox")
        }
        defer { example.remove() }
        let config = example.file("parapet.yaml").path
        func migrations() throws -> Int {
            let queue = try DatabaseQueue(path: database)
            defer { try? queue.close() }
            return try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") ?? 0 }
        }

        // When the doctor checks it, Then it says the daemon will migrate it, and does not
        let doctor = try await CommandRunner.parapet(["doctor", "--config", config, "--timeout", "2"])
        #expect(doctor.stdout.contains("ok    database: \(database) was written by an earlier release: the daemon migrates it once at its next start"),
                "\(doctor.stdout)")
        #expect(try migrations() == 2)

        // When the CLI reads it, or writes to it, Then it refuses with what to do, and does not migrate it
        let list = try await CommandRunner.parapet(["violations", "list", "--config", config])
        #expect(list.status != 0 && list.stderr.contains("start the daemon once to migrate it"), "\(list.stderr)")
        let ack = try await CommandRunner.parapet(["violations", "ack", "1", "--config", config])
        #expect(ack.status != 0 && ack.stderr.contains("was written by an earlier release: restart the daemon"), "\(ack.stderr)")
        #expect(try migrations() == 2)

        // When the daemon runs, Then it migrates the database and stores the example's events
        let run = try await CommandRunner.parapet(["run", "--once", "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("database migration started") && run.stderr.contains("database migrated"), "\(run.stderr)")
        #expect(try migrations() == 3)
        let after = try await CommandRunner.parapet(["violations", "list", "--config", config, "--format", "json"])
        #expect(after.status == 0 && !after.stdout.isEmpty, "\(after.stderr)")
    }

    @Test("the doctor tells to upgrade, not to move away, a database written by a newer release")
    func newerDatabase() async throws {
        // Given the example, with a database that holds a migration this release does not know
        let (example, _) = try await Self.example { queue in
            try StoreMigrator.migrator.migrate(queue)
            try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        }
        defer { example.remove() }

        // When the doctor checks it, Then the fix is to install that release, not to move the file away
        let doctor = try await CommandRunner.parapet(["doctor", "--config", example.file("parapet.yaml").path, "--timeout", "2"])
        #expect(doctor.status != 0)
        #expect(doctor.stdout.contains("was written by a newer Parapet"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("fix: install the Parapet release that wrote it"), "\(doctor.stdout)")
        #expect(!doctor.stdout.contains("move the file away;"), "\(doctor.stdout)")
    }
}
