import ArgumentParser
import Foundation
import ParapetDaemon
import ParapetCore
import ParapetStore

/// `--config FILE` or `--database FILE` for the commands that read the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: ./parapet.yaml if present, else /etc/parapet/parapet.yaml).")
    var config: String?

    @Option(name: .long, help: "SQLite database file (overrides the configuration's 'database').")
    var database: String?

    /// The database path: `--database`, or the configuration's.
    func databasePath() throws -> String {
        if let database { return database }
        let path = config ?? ParapetConfiguration.defaultPath()
        return try ParapetConfiguration.load(file: path).database
    }

    func openReadOnly() throws -> Store {
        try Store.openReadOnly(path: databasePath())
    }

    func openWritable() throws -> Store {
        let path = try databasePath()
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no database at \(path) — run `parapet run` first, or pass --database")
        }
        // Migrating is the daemon's job, at its start: here it could run for minutes, under a
        // daemon of the earlier release that cannot write the new schema.
        guard !Store.hasPendingMigrations(path: path) else {
            throw ValidationError("\(path) was written by an earlier release: restart the daemon with this one (it migrates the database once at start; see Upgrading in the README), then run this again")
        }
        return try Store(path: path)
    }
}

/// Parses `--since` values: a duration back from now (`24h`, `30d`) or an RFC 3339 time.
func parseSince(_ text: String?) throws -> Date? {
    guard let text else { return nil }
    if let interval = DurationText.parse(text) { return Date().addingTimeInterval(-interval) }
    if let date = ISO8601.date(from: text) { return date }
    throw ValidationError("--since must be a duration such as 24h or 30d, or a time such as 2026-11-01T00:00:00Z, not '\(text)'")
}
