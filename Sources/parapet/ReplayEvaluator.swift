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
    /// For standard error after the messages: why the file these records come from could not
    /// be read to its end.
    var failure: String?
}

/// Evaluates exported records for `parapet replay`: read, normalise, evaluate, format. A value
/// that any thread may use; `replay(_:jobs:printer:)` reads files on several.
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

    /// Reads `file` on this thread, handing the output to `printer` every `recordsPerOutput`
    /// records; a file that cannot be read to its end is reported after the output of the
    /// records read before.
    func replay(_ file: String, printer: ReplayPrinter) {
        read({ () throws(ExportError) in try ExportReader(path: file, feed: feed) }, every: Self.recordsPerOutput, printer.print)
    }

    /// What a whole file prints (a document, which is read whole anyway).
    func replayWhole(_ file: String) -> ReplayOutput {
        collect { () throws(ExportError) in try ExportReader(path: file, feed: feed) }
    }

    /// What the lines of `batch` print. (A batch is in memory: nothing can fail to be read.)
    func replay(_ batch: ExportLineBatch) -> ReplayOutput {
        collect { ExportReader(batch: batch, feed: feed) }
    }

    /// What every record of the reader `open` gives prints, in one output.
    private func collect(_ open: () throws(ExportError) -> ExportReader) -> ReplayOutput {
        var whole = ReplayOutput()
        read(open, every: .max) { whole = $0 }
        return whole
    }

    /// Hands `flush` what the records of the reader `open` give print, `limit` records at a
    /// time, the last output with why the reader stopped early, if it did.
    private func read(_ open: () throws(ExportError) -> ExportReader, every limit: Int, _ flush: (ReplayOutput) -> Void) {
        var output = ReplayOutput()
        do {
            let reader = try open()
            while let record = try reader.next() {
                add(record, to: &output)
                if output.records == limit {
                    flush(output)
                    output = ReplayOutput()
                }
            }
        } catch {
            output.failure = "parapet: \(error)"
        }
        flush(output)
    }

    /// One piece of work for a thread: a batch of lines, or a whole file that is one document.
    private enum Work: Sendable {
        case lines(ExportLineBatch)
        case whole(String)
    }

    /// Reads `files` with `jobs` pieces of work at once — batches of lines of JSON-lines files,
    /// whole documents (`{"Records":[…]}`, …), so that a folder of small files is read in
    /// parallel too — and two more cut and waiting, handing their output to `printer` in order
    /// (file by file, line by line): the same output as `replay(_:printer:)` file after file. A
    /// file that cannot be read to its end is reported after the output of what was read before.
    func replay(_ files: [String], jobs: Int, printer: ReplayPrinter) async {
        await withTaskGroup(of: (Int, ReplayOutput).self) { group in
            var cut = 0, printed = 0, running = 0
            var finished: [Int: ReplayOutput] = [:]
            var remaining = files[...]
            var batcher: ExportLineBatcher?

            /// The next piece of work, or the output of a file that cannot be read; nil when
            /// every file is cut.
            func next() -> Result<Work, ExportError>? {
                while true {
                    if let current = batcher {
                        do throws(ExportError) {
                            if let batch = try current.next() { return .success(.lines(batch)) }
                            batcher = nil
                            if current.isDocument { return .success(.whole(current.path)) }
                        } catch {
                            batcher = nil
                            return .failure(error)
                        }
                    }
                    guard let file = remaining.popFirst() else { return nil }
                    do throws(ExportError) {
                        batcher = try ExportLineBatcher(path: file)
                    } catch {
                        return .failure(error)
                    }
                }
            }

            func emit(_ sequence: Int, _ output: ReplayOutput) {
                finished[sequence] = output
                while let ready = finished.removeValue(forKey: printed) {
                    printer.print(ready)
                    printed += 1
                }
            }

            while true {
                // Pieces cut and not yet printed, finished or not, are bounded: memory does not
                // grow with the input, even behind one slow piece.
                while cut - printed < jobs + 2, let work = next() {
                    let sequence = cut
                    cut += 1
                    switch work {
                    case .failure(let error):
                        emit(sequence, ReplayOutput(failure: "parapet: \(error)"))
                    case .success(let work):
                        running += 1
                        group.addTask {
                            switch work {
                            case .lines(let batch): (sequence, self.replay(batch))
                            case .whole(let file): (sequence, self.replayWhole(file))
                            }
                        }
                    }
                }
                guard running > 0, let (sequence, output) = await group.next() else { break }
                running -= 1
                emit(sequence, output)
            }
        }
    }
}

/// Prints replay's output as it arrives (JSON lines to standard output, quarantine messages to
/// standard error) and the table and totals at the end. Used from one task.
final class ReplayPrinter {
    private let format: TextOrJSON
    private var records = 0, matches = 0, quarantined = 0
    /// Files (or paths) that could not be read to their end.
    private(set) var failedFiles = 0
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
        if let failure = part.failure { fail(failure) }
    }

    /// Reports a file or path that could not be read (to its end).
    func fail(_ message: String) {
        failedFiles += 1
        printError(message)
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
