import Foundation
import GRDB
import ParapetCore
@testable import ParapetStore
import Testing

@Suite("Opening databases")
struct OpeningTests {
    @Test("a new store creates its directory and runs in WAL mode")
    func createsDirectoryAndWAL() throws {
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let store = try Store(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try store.journalMode() == "wal")
    }

    @Test("a new store uses 16 KiB pages; an existing one keeps its page size")
    func pageSize() throws {
        // Given a new store
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let store = try Store(path: path)
        // Then its pages are 16 KiB
        #expect(try store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 16384)
        // And it checkpoints the WAL at 64 MiB (4,096 pages)
        #expect(try store.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 4096)

        // Given an existing database written with 4 KiB pages
        let old = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: old) }
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: old).deletingLastPathComponent(), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: old)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 4096")
            try db.execute(sql: "CREATE TABLE kept (x)")
        }
        try queue.close()
        // When Parapet opens it, Then it migrates it and keeps 4 KiB pages (checkpointing at 64 MiB: 16,384 pages)
        let reopened = try Store(path: old)
        #expect(try reopened.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 4096)
        #expect(try reopened.journalMode() == "wal")
        #expect(try reopened.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 16384)
    }

    @Test("a checkpoint copies every committed page of the WAL into the database")
    func checkpoint() async throws {
        // Given a store with a committed page of events, below the automatic checkpoint's 64 MiB
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let store = try Store(path: path)
        _ = try await store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page([Fixtures.event("e1")], cursor: "c1"),
                             now: Fixtures.t0, groupWindow: 0, evaluate: Fixtures.trailPolicy)
        let before = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0

        // When it checkpoints
        let result = try await store.checkpoint()

        // Then all the WAL's frames are in the database file, which grew
        #expect(result.walFrames > 0 && result.checkpointed == result.walFrames, "\(result)")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0) > before)
    }

    @Test("a file that is not a database is refused with its path")
    func garbageFile() throws {
        // Given a file of random bytes where the database should be
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: path))

        // When the CLI opens it read-only, or the daemon read-write
        let readOnly = try #require(throws: StoreError.self) { try Store.openReadOnly(path: path) }
        let readWrite = try #require(throws: StoreError.self) { try Store(path: path) }

        // Then both say which file and why
        #expect(readOnly.code == .notADatabase)
        #expect(readOnly.description == "\(path) is not a Parapet database (file is not a database)")
        #expect(readWrite.description == "\(path) is not a Parapet database (file is not a database)")
    }

    @Test("a missing file is refused read-only, and not created")
    func missingFile() throws {
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let error = try #require(throws: StoreError.self) { try Store.openReadOnly(path: path) }
        #expect(error.code == .notFound)
        #expect(error.description.contains(path))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("an empty SQLite file without Parapet's tables is refused read-only")
    func emptyFile() throws {
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let error = try #require(throws: StoreError.self) { try Store.openReadOnly(path: path) }
        #expect(error.description == "\(path) is not a Parapet database (no Parapet tables)")
    }

    @Test("a read-only store reads what the daemon wrote and cannot write")
    func readOnly() throws {
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let daemon = try Store(path: path)
        _ = try daemon.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page([Fixtures.event("e1")], cursor: "c1"),
                              now: Fixtures.t0, groupWindow: 0, evaluate: Fixtures.trailPolicy)
        let cli = try Store.openReadOnly(path: path)
        #expect(try cli.violations(ViolationFilter()).count == 1)
        #expect(try cli.cursor(for: Fixtures.source) == Cursor("c1"))
        let id = try #require(try cli.violations(ViolationFilter()).first?.id)
        let error = try #require(throws: StoreError.self) {
            try cli.setStatus(violationID: id, status: .acknowledged, by: "cli", note: nil, now: Fixtures.t0)
        }
        #expect(error.description.contains("read-only"))
    }
}
