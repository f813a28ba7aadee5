import Foundation

/// Whole lines cut from a JSON-lines export, with where they sit in it.
public struct ExportLineBatch: Sendable {
    /// The file the lines come from (record locations name it).
    public let path: String
    /// The lines, each with its newline; only the file's last line may lack one.
    public let bytes: [UInt8]
    /// The decoded offset of the first line in the file.
    public let offset: UInt64
    /// The 1-based number of the first line in the file.
    public let firstLine: Int
}

/// Cuts a JSON-lines export into batches of whole lines, so that several threads can read one
/// file at once (`parapet replay --jobs`): each batch is read by its own `ExportReader(batch:)`,
/// which gives the same records, line numbers and quarantine reasons as one reader of the whole
/// file. Gzip files are decoded here, on the cutting thread.
///
/// A file that is one JSON document (`{"Records":[…]}`, a JSON array, a pretty-printed object:
/// the rule `ExportReader` applies to the first line that is not blank) cannot be cut: `next()`
/// then returns nil without a batch and `isDocument` is true; read such a file with
/// `ExportReader(path:)`. Read and I/O errors are thrown by `next()` after the batches before
/// them. Use one batcher per file, from one task.
public final class ExportLineBatcher {
    public let path: String
    /// True once the batcher has seen that the file is a document (no batch is returned).
    public private(set) var isDocument = false

    private let input: ByteInput
    private let batchBytes: Int
    /// Bytes read; those from `head` on are not handed out yet and start at a line's start. The
    /// buffer is allocated once at a batch's size (growing it by appending copied it three times
    /// over), and a batch that is most of it is handed over whole, without a copy.
    private var buffer: [UInt8]
    private var head = 0
    /// The decoded offset and line number of `buffer[head]`.
    private var offset: UInt64 = 0
    private var line = 1
    /// Whether the first line that is not blank has been seen (and was not a document).
    private var layoutKnown = false
    /// Until then: where the first line not yet known to be blank starts, and how far the
    /// search for its newline has got (a long first line is searched once, not again per chunk).
    private var candidateStart = 0
    private var candidateScanned = 0
    private var inputDone = false
    /// A read failure to throw once the lines before it are handed out.
    private var failure: ExportError?

    /// Opens `path`; batches hold about `batchBytes` bytes each (whole lines: a longer line is a
    /// batch of its own).
    public init(path: String, batchBytes: Int = 1 << 20) throws(ExportError) {
        self.path = path
        self.batchBytes = max(batchBytes, 1)
        input = try ByteInput(path: path)
        buffer = Self.emptyBuffer(batchBytes: self.batchBytes)
    }

    /// Room for a batch and the chunk read past its end.
    private static func emptyBuffer(batchBytes: Int) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(min(batchBytes, 64 << 20) + ByteInput.chunkSize)
        return buffer
    }

    /// The next batch of lines, or nil at the end of the file (or at once for a document).
    public func next() throws(ExportError) -> ExportLineBatch? {
        if let failure {
            // The whole lines read before the failure went out in the last batch.
            self.failure = nil
            inputDone = true
            buffer = []
            head = 0
            throw failure
        }
        while true {
            if !layoutKnown, decideLayout() { return nil }
            if layoutKnown, let cut = newline(from: head + batchBytes - 1) { return take(upTo: cut + 1) }
            if inputDone {
                if !layoutKnown {
                    // No line that is not blank ends with a newline: what is left is the last line.
                    layoutKnown = true
                    if let first = firstContentLine(allowingUnterminated: true), ExportReader.looksLikeDocument(first) {
                        isDocument = true
                        return nil
                    }
                }
                return head == buffer.count ? nil : take(upTo: buffer.count)
            }
            do {
                if let chunk = try input.next() {
                    if head > 0, buffer.count + chunk.count > buffer.capacity {
                        buffer.removeSubrange(..<head)
                        head = 0
                    }
                    buffer.append(contentsOf: chunk)
                } else {
                    inputDone = true
                }
            } catch {
                // As one reader of the whole file does, every whole line decoded before the
                // failure is read first; a partial line after them is not.
                guard layoutKnown, let cut = lastNewline() else {
                    inputDone = true
                    buffer = []
                    head = 0
                    throw error
                }
                failure = error
                return take(upTo: cut + 1)
            }
        }
    }

    /// Once the first line that is not blank is complete, notes the layout; true for a document.
    private func decideLayout() -> Bool {
        guard let first = firstContentLine(allowingUnterminated: false) else { return false }
        layoutKnown = true
        isDocument = ExportReader.looksLikeDocument(first)
        return isDocument
    }

    /// The first line of `buffer` that is not blank (without its newline and trailing `\r`), or
    /// nil when no such line is complete yet (or, `allowingUnterminated`, at all). Blank lines
    /// are passed over once, and the search resumes where the last call stopped.
    private func firstContentLine(allowingUnterminated: Bool) -> ArraySlice<UInt8>? {
        while candidateStart < buffer.count {
            let newline = LineReader.newline(in: buffer, from: max(candidateScanned, candidateStart))
            if newline == nil {
                candidateScanned = buffer.count
                if !allowingUnterminated { return nil }
            }
            var end = newline ?? buffer.count
            if end > candidateStart, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let candidate = buffer[candidateStart..<end]
            if !ExportReader.isBlank(candidate) { return candidate }
            guard let newline else { return nil }
            candidateStart = newline + 1
        }
        return nil
    }

    /// The first newline in `buffer` at or after `start`.
    private func newline(from start: Int) -> Int? {
        LineReader.newline(in: buffer, from: start)
    }

    private func lastNewline() -> Int? {
        buffer[head...].lastIndex(of: 0x0A)
    }

    /// Hands out `buffer[head..<end]` (whole lines) as a batch; the rest stays.
    private func take(upTo end: Int) -> ExportLineBatch {
        let bytes: [UInt8]
        if head == 0, buffer.count - end < end {
            // Most of the buffer: hand it over and keep a copy of the rest (less than a chunk
            // when batches are larger than chunks, as they are by default).
            var rest = Self.emptyBuffer(batchBytes: batchBytes)
            rest.append(contentsOf: buffer[end...])
            var whole = buffer
            buffer = rest
            whole.removeSubrange(end...)  // in place: `whole` is the only reference left
            bytes = whole
        } else {
            // Small batches: copy each out and move `head` on, so that the rest is not copied per batch.
            bytes = Array(buffer[head..<end])
            head = end
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                head = 0
            }
        }
        let batch = ExportLineBatch(path: path, bytes: bytes, offset: offset, firstLine: line)
        offset += UInt64(bytes.count)
        line += LineReader.newlines(in: bytes)
        return batch
    }
}
