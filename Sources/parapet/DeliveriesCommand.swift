import ArgumentParser
import Foundation
import ParapetCore
import ParapetStore

/// `parapet deliveries [--dead]` and `parapet deliveries redeliver ID|--all-dead`
struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "The webhook and log outbox: pending, delivered and dead letters.",
        subcommands: [ListDeliveries.self, Redeliver.self], defaultSubcommand: ListDeliveries.self)
}

struct ListDeliveries: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List deliveries, newest first.")

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Only dead letters.") var dead = false
    @Option(help: "At most this many.") var limit: Int = 100
    @Option(help: "table, json (one object per line) or csv.") var format: OutputFormat = .table

    func run() async throws {
        let deliveries = try database.openReadOnly().deliveries(dead: dead ? true : nil, limit: limit)
        let rows = deliveries.map { d in
            [d.id, String(d.violationID), d.route, d.kind.rawValue, d.state.rawValue, String(d.attempts),
             d.nextAttemptAt.map { ISO8601.string(from: $0) } ?? "", d.lastError ?? ""]
        }
        switch format {
        case .json:
            for d in deliveries {
                let object: JSONValue = [
                    "id": .string(d.id), "violation_id": .number(Double(d.violationID)), "route": .string(d.route),
                    "kind": .string(d.kind.rawValue), "state": .string(d.state.rawValue), "attempts": .number(Double(d.attempts)),
                    "created_at": .string(ISO8601.string(from: d.createdAt)),
                    "next_attempt_at": d.nextAttemptAt.map { .string(ISO8601.string(from: $0)) } ?? .null,
                    "delivered_at": d.deliveredAt.map { .string(ISO8601.string(from: $0)) } ?? .null,
                    "last_error": d.lastError.map(JSONValue.string) ?? .null,
                ]
                print(object.serialized())
            }
        case .csv:
            print(CSV.line(["id", "violation", "route", "kind", "state", "attempts", "next_attempt", "last_error"]))
            for row in rows { print(CSV.line(row)) }
        case .table:
            var table = TextTable(["ID", "VIOLATION", "ROUTE", "KIND", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"])
            for row in rows { table.add(row) }
            print(table.render())
            print("\(deliveries.count) deliver\(deliveries.count == 1 ? "y" : "ies")")
        }
    }
}

struct Redeliver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeliver", abstract: "Queue a dead letter (or all of them) for delivery again.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The delivery id.") var id: String?
    @Flag(name: .customLong("all-dead"), help: "Every dead letter.") var allDead = false

    func validate() throws {
        if (id == nil) == !allDead { throw ValidationError("give a delivery id or --all-dead (not both)") }
    }

    func run() async throws {
        let store = try database.openWritable()
        if allDead {
            let count = try store.redeliverAllDead()
            print("\(count) dead letter\(count == 1 ? "" : "s") queued again")
        } else if let id {
            try store.redeliver(id: id)
            print("delivery \(id) queued again")
        }
    }
}
