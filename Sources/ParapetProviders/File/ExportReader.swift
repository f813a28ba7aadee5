import Foundation
import ParapetCore

/// Streams the records of one exported log file, whatever its layout:
/// - JSON lines (one record per line, blank lines skipped), read in chunks so that files of any
///   size are read in bounded memory; a line may also hold a container (below);
/// - a JSON document read whole: a CloudTrail log file `{"Records":[…]}`, a LookupEvents response
///   `{"Events":[{"CloudTrailEvent":"…"}]}`, an Azure `{"records":[…]}` batch or REST
///   `{"value":[…]}` page, a GCP `{"entries":[…]}` response or a JSON array; a CloudTrail digest
///   file is recognised and skipped;
/// - any of these gzip-compressed (recognised by content, not name).
/// EventBridge envelopes and CloudEvents are unwrapped by the `Normaliser`.
///
/// Each record is normalised (feed detected per record unless `feed` is set) or quarantined with
/// the reason and its bytes. File-level failures (unreadable, truncated gzip) are thrown by `next()`
/// after the records read before them. Use one reader per file, from one task.
public final class ExportReader {
    public enum Layout: Sendable, Equatable { case jsonLines, document }

    public let path: String
    public let feed: Feed?
    public let defaultAccount: String?
    public private(set) var layout: Layout
    /// True when the file is gzip-compressed.
    public var isGzip: Bool { input.isGzip }
    /// Where to resume to read what `next()` has not returned yet.
    public private(set) var position: ExportPosition
    /// CloudTrail digest documents seen and skipped.
    public private(set) var skippedDigests = 0
    /// True when the reader stopped before an unterminated, unparseable last line (see `init`).
    public private(set) var heldBackPartialLine = false

    private let holdBackPartialLastLine: Bool

    private let input: ByteInput
    private var parser = JSONDocumentParser()
    /// Whether the document the pending records come from has a key with a dot.
    private var documentHasDottedKeys: Bool?
    private var lines: LineReader?
    private var pending: [ExportContainer.Element] = []
    private var pendingNext = 0
    private var pendingLine: LineReader.Line?
    /// Reading started at the top of the file and only blank lines have been seen so far.
    private var atTop: Bool
    /// Records of a document already consumed (a document is resumed by index).
    private let documentStartIndex: Int

    /// Opens `path` and positions the reader at `position` (from an earlier reader's `position`).
    /// With `holdBackPartialLastLine`, an unparseable last line with no newline after it (a line
    /// still being written) is left unread, and `heldBackPartialLine` is set; otherwise it is quarantined.
    public init(
        path: String, feed: Feed? = nil, defaultAccount: String? = nil, from position: ExportPosition = .start,
        holdBackPartialLastLine: Bool = false
    ) throws(ExportError)
    {
        self.path = path
        self.feed = feed
        self.defaultAccount = defaultAccount
        self.position = position
        atTop = position.offset == 0
        documentStartIndex = position.offset == 0 ? position.index : 0
        self.holdBackPartialLastLine = holdBackPartialLastLine
        // Documents are resumed by record index (offset 0); JSON lines by the offset of a line.
        input = try ByteInput(path: path, offset: position.offset)
        layout = .jsonLines
        lines = LineReader(input: input, offset: position.offset, lineNumber: position.line)
    }

    /// Reads one batch of whole lines that `ExportLineBatcher` cut from a JSON-lines file: the
    /// records, their locations (line numbers in the whole file) and quarantine reasons are those
    /// a reader of the whole file gives for these lines. The lines are read as JSON lines (the
    /// batcher has seen that the file is not one document); nothing is read from disk.
    public init(batch: ExportLineBatch, feed: Feed? = nil, defaultAccount: String? = nil) {
        path = batch.path
        self.feed = feed
        self.defaultAccount = defaultAccount
        position = ExportPosition(offset: batch.offset, line: batch.firstLine, index: 0)
        atTop = false
        documentStartIndex = 0
        holdBackPartialLastLine = false
        input = ByteInput(bytes: batch.bytes, path: batch.path)
        layout = .jsonLines
        lines = LineReader(input: input, offset: batch.offset, lineNumber: batch.firstLine)
    }

    /// The next record, or nil at the end of the file.
    public func next() throws(ExportError) -> ExportRecord? {
        while true {
            if pendingNext < pending.count {
                let index = pendingNext
                pendingNext += 1
                let element = pending[index]
                let location = RecordLocation(path: path, line: layout == .jsonLines ? pendingLine?.number : nil, index: index)
                advanceAfterElement(index: index)
                return record(element, at: location, raw: nil)
            }
            pending = []
            pendingNext = 0
            switch layout {
            case .document:
                return nil
            case .jsonLines:
                guard let line = try lines?.next() else { return nil }
                if atTop, looksLikeDocument(line) {
                    return try readDocument(firstLine: line)
                }
                if isBlank(line.bytes) {
                    if atTop, documentStartIndex > 0 { continue }  // resuming a document: keep its index
                    position = ExportPosition(offset: line.endOffset, line: line.number + 1, index: 0)
                    continue
                }
                atTop = false
                if let record = try take(line) { return record }
            }
        }
    }

    // MARK: JSON lines

    /// Parses one line: a record is returned; a container's elements are queued.
    private func take(_ line: LineReader.Line) throws(ExportError) -> ExportRecord? {
        let location = RecordLocation(path: path, line: line.number)
        let value: JSONValue
        switch parse(line.bytes) {
        case .success(let parsed):
            value = parsed
        case .failure(let error):
            if !line.terminated, holdBackPartialLastLine, !input.isGzip {
                heldBackPartialLine = true
                return nil
            }
            position = ExportPosition(offset: line.endOffset, line: line.number + 1, index: 0)
            return ExportRecord(location: location, outcome: .quarantined(
                reason: "invalid JSON at column \(error.offset + 1): \(error.reason)", raw: Data(line.bytes)))
        }
        switch ExportContainer.contents(of: value) {
        case .single(let record):
            position = ExportPosition(offset: line.endOffset, line: line.number + 1, index: 0)
            return self.record(.record(record), at: location, raw: line.bytes)
        case .digest:
            skippedDigests += 1
            position = ExportPosition(offset: line.endOffset, line: line.number + 1, index: 0)
            return nil
        case .many(let elements):
            pendingLine = line
            pending = elements
            // Resuming inside this line: skip the elements already returned.
            pendingNext = line.startOffset == position.offset && line.number == position.line ? min(position.index, elements.count) : 0
            if pendingNext >= elements.count {
                position = ExportPosition(offset: line.endOffset, line: line.number + 1, index: 0)
            }
            return nil
        }
    }

    private func advanceAfterElement(index: Int) {
        let done = index + 1
        switch layout {
        case .document:
            position = ExportPosition(offset: 0, line: 1, index: done)
        case .jsonLines:
            guard let line = pendingLine else { return }
            position = done < pending.count
                ? ExportPosition(offset: line.startOffset, line: line.number, index: done)
                : ExportPosition(offset: line.endOffset, line: line.number + 1, index: 0)
        }
    }

    /// A first line that is only `{` or `[` (pretty-printed JSON), or a JSON array, starts a
    /// document; anything else is JSON lines (where a broken line is quarantined on its own).
    private func looksLikeDocument(_ line: LineReader.Line) -> Bool {
        Self.looksLikeDocument(line.bytes)
    }

    /// `looksLikeDocument` on a line's bytes (without its newline and trailing `\r`).
    static func looksLikeDocument(_ line: some Collection<UInt8>) -> Bool {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let bytes = line.starts(with: bom) ? Array(line.dropFirst(3)) : Array(line)
        guard let first = bytes.firstIndex(where: { !Self.isSpace($0) }) else { return false }
        if bytes[first] == UInt8(ascii: "[") { return true }
        let last = bytes.lastIndex(where: { !Self.isSpace($0) })!
        return first == last && bytes[first] == UInt8(ascii: "{")
    }

    // MARK: Documents

    /// Reads the rest of the file as one JSON document and queues its records.
    private func readDocument(firstLine: LineReader.Line) throws(ExportError) -> ExportRecord? {
        layout = .document
        var bytes = firstLine.bytes
        bytes.append(0x0A)
        bytes.append(contentsOf: lines?.takeBuffered() ?? [])
        lines = nil
        bytes.append(contentsOf: try input.readAll())
        let value: JSONValue
        switch parse(bytes) {
        case .success(let parsed):
            value = parsed
        case .failure(let error):
            let (line, column) = Self.lineAndColumn(of: error.offset, in: bytes)
            throw ExportError(path: path, reason: "invalid JSON at line \(line), column \(column): \(error.reason)")
        }
        switch ExportContainer.contents(of: value) {
        case .single(let record):
            pending = [.record(record)]
        case .many(let elements):
            pending = elements
        case .digest:
            skippedDigests += 1
            pending = []
        }
        pendingNext = min(documentStartIndex, pending.count)
        return try next()
    }

    // MARK: Helpers

    private func record(_ element: ExportContainer.Element, at location: RecordLocation, raw: [UInt8]?) -> ExportRecord {
        switch element {
        case .invalid(let reason, let raw):
            return ExportRecord(location: location, outcome: .quarantined(reason: reason, raw: raw))
        case .record(let value):
            do {
                var event = try Normaliser.normalise(value, feed: feed, defaultAccount: defaultAccount)
                if let raw, !Normaliser.isEnvelope(value) { event.setRawText(utf8: Self.trimmed(raw)) }
                event.rawHasDottedKeys = documentHasDottedKeys
                return ExportRecord(location: location, outcome: .event(event))
            } catch {
                let reason = (error as? NormaliseError)?.reason ?? "\(error)"
                return ExportRecord(location: location, outcome: .quarantined(
                    reason: reason, raw: raw.map { Data($0) } ?? Data(value.serialized().utf8)))
            }
        }
    }

    /// The line without surrounding whitespace (and byte order mark), as the record's original
    /// text: the line itself (shared, not copied) when there is nothing to trim.
    static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        var start = bytes.startIndex
        var end = bytes.endIndex
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return start == bytes.startIndex && end == bytes.endIndex ? bytes : Array(bytes[start..<end])
    }

    struct ParseFailure: Error {
        var offset: Int
        var reason: String
    }

    /// Parses with the reader's own parser, which interns the strings its lines repeat.
    private func parse(_ bytes: [UInt8]) -> Result<JSONValue, ParseFailure> {
        do {
            documentHasDottedKeys = nil
            let value = try parser.parse(bytes)
            documentHasDottedKeys = parser.lastDocumentHasDottedKeys
            return .success(value)
        } catch {
            return .failure(ParseFailure(offset: error.offset, reason: error.reason))
        }
    }

    /// Only whitespace (after a UTF-8 byte order mark, if any).
    private func isBlank(_ bytes: [UInt8]) -> Bool { Self.isBlank(bytes) }

    /// `isBlank` on any bytes.
    static func isBlank(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3).allSatisfy(Self.isSpace) : bytes.allSatisfy(Self.isSpace)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
