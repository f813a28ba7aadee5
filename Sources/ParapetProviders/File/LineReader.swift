import Foundation

/// Splits a `ByteInput` into lines without holding more than the current line and one chunk.
/// Each line knows its 1-based number and the decoded offsets where it starts and where the
/// next line starts, so that a reader can resume exactly after it.
final class LineReader {
    struct Line {
        /// The line without its `\n` (and without a trailing `\r`).
        var bytes: [UInt8]
        var number: Int
        var startOffset: UInt64
        var endOffset: UInt64
        /// False for a last line with no newline after it (possibly still being written).
        var terminated: Bool
    }

    private let input: ByteInput
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var offset: UInt64
    private var lineNumber: Int
    private var inputDone = false

    init(input: ByteInput, offset: UInt64, lineNumber: Int) {
        self.input = input
        self.offset = offset
        self.lineNumber = lineNumber
    }

    func next() throws(ExportError) -> Line? {
        while true {
            if let newline = findNewline() {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Line(bytes: Array(buffer[start..<end]), number: lineNumber, startOffset: offset,
                                endOffset: offset + UInt64(newline + 1 - start), terminated: true)
                offset = line.endOffset
                lineNumber += 1
                start = newline + 1
                scanned = start
                return line
            }
            if inputDone {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Line(bytes: Array(buffer[start..<end]), number: lineNumber, startOffset: offset,
                                endOffset: offset + UInt64(buffer.count - start), terminated: false)
                offset = line.endOffset
                lineNumber += 1
                start = buffer.count
                scanned = start
                return line
            }
            try refill()
        }
    }

    /// Hands over the bytes read from the input but not yet returned as lines (the reader is done).
    func takeBuffered() -> [UInt8] {
        defer { buffer = []; start = 0; scanned = 0 }
        return Array(buffer[start...])
    }

    private func findNewline() -> Int? {
        let found = Self.newline(in: buffer, from: scanned)
        if found == nil { scanned = buffer.count }
        return found
    }

    /// The index of the first `\n` in `bytes` at or after `start` (memchr), or nil.
    static func newline(in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { pointer in
            guard let base = pointer.baseAddress, start < pointer.count,
                  let hit = memchr(base + start, 0x0A, pointer.count - start)
            else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// How many `\n` bytes `bytes` holds.
    static func newlines(in bytes: [UInt8]) -> Int {
        var count = 0
        var next = 0
        while let newline = newline(in: bytes, from: next) {
            count += 1
            next = newline + 1
        }
        return count
    }

    private func refill() throws(ExportError) {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        if let chunk = try input.next() {
            // An empty buffer takes the chunk itself (a batch of lines arrives as one chunk).
            if buffer.isEmpty { buffer = chunk } else { buffer.append(contentsOf: chunk) }
        } else {
            inputDone = true
        }
    }
}
