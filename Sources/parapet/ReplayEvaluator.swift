import Foundation
import ParapetCore
import ParapetDaemon
import ParapetPolicy
import ParapetProviders

/// What replay prints for a run of records, in their order: the matches (JSON lines or table
/// rows), the quarantine messages, and the counts.
struct ReplayOutput: Sendable {
    var records = 0
    var matches = 0
    var quarantined = 0
    /// `--format json`: one line per match, each with its newline.
    var json: [UInt8] = []
    /// `--format table`: one row per match.
    var rows: [[String]] = []
    /// For standard error, one per quarantined record.
    var messages: [String] = []
}

/// Evaluates exported records for `parapet replay`: read, normalise, evaluate, format. A value
/// that any thread may use; `replayInParallel` reads one JSON-lines file on several.
struct ReplayEvaluator: Sendable {
    let policySet: PolicySet
    let accounts: AccountDirectory
    let feed: Feed?
    let format: TextOrJSON
    let now: Date

    /// Records handed to the printer at a time when one thread reads a file.
    static let recordsPerOutput = 1_024

    /// Adds what `record` prints to `output`.
    func add(_ record: ExportRecord, to output: inout ReplayOutput) {
        output.records += 1
        switch record.outcome {
        case .quarantined(let reason, _):
            output.quarantined += 1
            output.messages.append("\(record.location): quarantined: \(reason)")
        case .event(let event):
            let context = accounts.context(for: event)
            for match in policySet.evaluate(event, context: context, now: now) where match.kind == .violation {
                output.matches += 1
                if format == .json {
                    output.json.append(contentsOf: ReplayCommand.json(match, event, context, record.location).serialized().utf8)
                    output.json.append(0x0A)
                } else {
                    output.rows.append([record.location.description, match.policy.severity.rawValue, match.policy.id,
                                        event.account, event.operation, event.actor.name ?? event.actor.uid ?? "", event.eventID])
                }
            }
        }
    }

    /// Reads `file` on this thread, handing the output to `printer` as it goes.
    func replay(_ file: String, printer: ReplayPrinter) throws(ExportError) {
        let reader = try ExportReader(path: file, feed: feed)
        var output = ReplayOutput()
        defer { printer.print(output) }
        while let record = try reader.next() {
            add(record, to: &output)
            if output.records == Self.recordsPerOutput {
                printer.print(output)
                output = ReplayOutput()
            }
        }
    }

    /// What the lines of `batch` print.
    func replay(_ batch: ExportLineBatch) -> ReplayOutput {
        let reader = ExportReader(batch: batch, feed: feed)
        var output = ReplayOutput()
        do {
            while let record = try reader.next() { add(record, to: &output) }
        } catch {
            // A batch is in memory: nothing is read from disk, so nothing can fail to be read.
            output.messages.append("parapet: \(error)")
        }
        return output
    }

    /// Reads `file` with `jobs` batches of lines parsed, normalised and evaluated at once (and
    /// two more cut and waiting), handing their output to `printer` in the file's order: the
    /// same output as `replay(_:printer:)`. A document (`{"Records":[…]}`, …) is read on this
    /// thread. A read error is thrown after the output of every line before it.
    func replayInParallel(_ file: String, jobs: Int, printer: ReplayPrinter) async throws(ExportError) {
        let batcher = try ExportLineBatcher(path: file)
        var failure: ExportError?
        await withTaskGroup(of: (Int, ReplayOutput).self) { group in
            var cut = 0, printed = 0, running = 0
            var exhausted = false
            var finished: [Int: ReplayOutput] = [:]
            while true {
                // Batches cut and not yet printed, finished or not, are bounded: memory does not
                // grow with the file, even behind one slow batch.
                while !exhausted, cut - printed < jobs + 2 {
                    do throws(ExportError) {
                        guard let batch = try batcher.next() else { exhausted = true; break }
                        let sequence = cut
                        cut += 1
                        running += 1
                        group.addTask { (sequence, self.replay(batch)) }
                    } catch {
                        failure = error
                        exhausted = true
                    }
                }
                guard running > 0, let (sequence, output) = await group.next() else { break }
                running -= 1
                finished[sequence] = output
                while let next = finished.removeValue(forKey: printed) {
                    printer.print(next)
                    printed += 1
                }
            }
        }
        if let failure { throw failure }
        if batcher.isDocument { try replay(file, printer: printer) }
    }
}

/// Prints replay's output as it arrives (JSON lines to standard output, quarantine messages to
/// standard error) and the table and totals at the end. Used from one task.
final class ReplayPrinter {
    private let format: TextOrJSON
    private var records = 0, matches = 0, quarantined = 0
    private var table = TextTable(["LOCATION", "SEVERITY", "POLICY", "ACCOUNT", "OPERATION", "ACTOR", "EVENT ID"])
    private var output = BufferedOutput()

    init(format: TextOrJSON) { self.format = format }

    func print(_ part: ReplayOutput) {
        records += part.records
        matches += part.matches
        quarantined += part.quarantined
        for message in part.messages { printError(message) }
        if !part.json.isEmpty { output.write(bytes: part.json) }
        table.rows += part.rows
    }

    /// The table (for `--format table`) and the totals.
    func finish(policies: Int) {
        output.flush()
        if format == .table {
            if matches > 0 { Swift.print(table.render()) }
            Swift.print("\(records) record\(records == 1 ? "" : "s"), \(matches) match\(matches == 1 ? "" : "es"), \(quarantined) quarantined, \(policies) policies")
        } else {
            printError("\(records) records, \(matches) matches, \(quarantined) quarantined")
        }
    }
}
