import Foundation
import GRDB
import Logging
import ParapetTesting
import Testing
@testable import ParapetDaemon
@testable import ParapetStore

@Suite struct StoreOpeningTests {
    @Test("a database of an earlier release is migrated while systemd is asked to wait; a current one opens silently")
    func migrationAsksSystemdToWait() throws {
        // Given a database written by the first release
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("parapet.db").path
        let queue = try DatabaseQueue(path: path, configuration: Store.configuration(readonly: false))
        try StoreMigrator.migrator.migrate(queue, upTo: "v1: violations and outbox")
        try queue.close()
        #expect(Store.hasPendingMigrations(path: path))

        // When the daemon opens it under systemd
        let socket = try NotifySocket()
        let systemd = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path])
        _ = try StoreOpening.open(path: path, logger: Logger(label: "test"), systemd: systemd)

        // Then systemd was asked to extend the start timeout, with the reason as status
        let message = try #require(socket.receive())
        #expect(message.hasPrefix("EXTEND_TIMEOUT_USEC=60000000\nSTATUS=migrating the database"))
        #expect(!Store.hasPendingMigrations(path: path))

        // And a current database, a new file and a file that is not a database ask nothing
        _ = try StoreOpening.open(path: path, logger: Logger(label: "test"), systemd: systemd)
        _ = try StoreOpening.open(path: directory.file("new/parapet.db").path, logger: Logger(label: "test"), systemd: systemd)
        try Data("not a database".utf8).write(to: directory.file("garbage.db"))
        #expect(!Store.hasPendingMigrations(path: directory.file("garbage.db").path))
        #expect(socket.receive() == nil)
    }
}
