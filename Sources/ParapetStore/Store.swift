import CSQLiteTuning
import Foundation
import GRDB

/// Parapet's SQLite database: events, sources, quarantined records, violations and the
/// delivery outbox. One `Store` per database file, shared by the whole process.
public struct Store: Sendable {
    /// The connection(s): a WAL `DatabasePool` on disk, a `DatabaseQueue` in memory.
    let writer: any DatabaseWriter
    /// The database file, or `:memory:`.
    public let path: String

    /// Opens (creating if needed) the database at `path` for reading and writing: creates the
    /// parent directory, switches to WAL, and runs the migrations.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw StoreError(.cannotOpen, "cannot create the directory of \(path): \(error.localizedDescription)")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Store.configuration(readonly: false))
            // WAL defaults to synchronous=NORMAL; FULL makes each committed ingest durable across
            // power loss, so a notification already sent is never produced a second time.
            // A 64 MiB page cache for the writer: large ingest transactions stay in memory.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
            if try pool.read(StoreMigrator.migrator.hasBeenSuperseded) {
                throw StoreError(.notADatabase, "\(path) was written by a newer Parapet — upgrade this binary")
            }
            try StoreMigrator.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw StoreError.opening(path, error)
        }
        self.init(writer: pool, path: path)
    }

    /// Whether opening `path` read-write will migrate an existing Parapet database written by an
    /// earlier release (a one-time rebuild: the daemon tells systemd to wait for it). False for a
    /// missing file, a current database, and anything that is not a Parapet database (opening it
    /// reports that).
    public static func hasPendingMigrations(path: String) -> Bool {
        schema(at: path) == .older
    }

    /// Whether `path` is a Parapet database written by a newer release (this binary refuses it).
    public static func isFromNewerRelease(path: String) -> Bool {
        schema(at: path) == .newer
    }

    private enum Schema { case older, current, newer }

    /// The schema of the Parapet database at `path`; nil when there is no file or it is not one.
    private static func schema(at path: String) -> Schema? {
        guard FileManager.default.fileExists(atPath: path),
              let queue = try? DatabaseQueue(path: path, configuration: configuration(readonly: true))
        else { return nil }
        defer { try? queue.close() }
        return try? queue.read { db -> Schema? in
            guard try db.tableExists("grdb_migrations") else { return nil }
            if try StoreMigrator.migrator.hasBeenSuperseded(db) { return .newer }
            return try StoreMigrator.migrator.hasCompletedMigrations(db) ? .current : .older
        } ?? nil
    }

    init(writer: any DatabaseWriter, path: String) {
        self.writer = writer
        self.path = path
    }

    /// Opens an existing database read-only (the CLI, while the daemon writes). Never migrates;
    /// throws when the file is missing, is not SQLite, or was not written by Parapet.
    public static func openReadOnly(path: String) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.notFound, "no Parapet database at \(path) (file not found) — check `database:` in the configuration, or start the daemon once to create it")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration(readonly: true))
            try pool.read { db in try StoreMigrator.checkReadable(db, path: path) }
            return Store(writer: pool, path: path)
        } catch let error as DatabaseError {
            throw StoreError.opening(path, error)
        }
    }

    /// A migrated database in memory (tests, `parapet replay`).
    public static func inMemory() throws -> Store {
        let queue = try DatabaseQueue(configuration: configuration(readonly: false))
        try StoreMigrator.migrator.migrate(queue)
        return Store(writer: queue, path: ":memory:")
    }

    /// A migrated database in a new temporary directory (tests that need a real file); the caller
    /// removes the directory (`path`'s parent) when done.
    public static func temporary() throws -> Store {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("parapet-store-\(UUID().uuidString)", isDirectory: true)
        return try Store(path: directory.appendingPathComponent("parapet.db").path)
    }

    /// The SQLite journal mode in use (`wal` for on-disk stores), for `parapet doctor`.
    public func journalMode() throws -> String {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown" }
    }

    /// SQLite's per-allocation memory statistics (a global mutex taken on every allocation; about
    /// 3 % of the ingest writer's samples) are switched off before the process opens its first
    /// connection. Parapet reads none of them; a process that opened SQLite before (a test
    /// harness) keeps them, which changes nothing else.
    private static let memoryStatisticsOff: Void = { _ = parapet_sqlite_disable_memstatus() }()

    static func configuration(readonly: Bool) -> Configuration {
        Store.memoryStatisticsOff
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.foreignKeysEnabled = true
        // The daemon and the CLI share the file: wait for each other's locks instead of failing.
        configuration.busyMode = .timeout(10)
        configuration.label = "Parapet.Store"
        if !readonly {
            configuration.prepareDatabase { db in
                // 16 KiB pages for a new database (an existing one keeps its page size), and an
                // automatic checkpoint once the WAL holds 64 MiB: the index pages every ingest
                // transaction rewrites (the key's and each account's and operation's last pages)
                // are then copied into the database once per checkpoint rather than once per page
                // of events (1,000,000-event ingest: 39.5 s → 33–38 s against 4 MiB, SQLite's
                // default of 1,000 pages with 4 KiB pages).
                try db.execute(sql: "PRAGMA page_size = 16384")
                let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(max(1, 64 * 1024 * 1024 / pageSize))")
            }
        }
        return configuration
    }
}
