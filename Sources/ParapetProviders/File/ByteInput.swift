import Foundation

/// The decoded bytes of one file, read in chunks: plain files straight from disk, gzip files
/// (recognised by their magic bytes, whatever their name) through `GzipDecoder`. Offsets are
/// positions in the decoded stream; for plain files they are file offsets and seeking is direct.
/// An input can also be bytes already in memory (a batch of lines cut from a file, see
/// `ExportLineBatcher`), handed out as one chunk.
final class ByteInput {
    static let chunkSize = 1 << 18

    let path: String
    let isGzip: Bool
    /// Nil for bytes in memory.
    private let handle: FileHandle?
    private let decoder: GzipDecoder?
    private var atEnd = false
    private var pending: [UInt8] = []

    /// Opens `path` positioned at decoded offset `offset` (gzip files are decoded up to it).
    init(path: String, offset: UInt64 = 0) throws(ExportError) {
        self.path = path
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw ExportError(path: path, reason: "cannot open file: \(ExportError.describe(error))")
        }
        self.handle = handle
        let magic: Data
        do { magic = try handle.read(upToCount: 2) ?? Data() } catch {
            throw ExportError(path: path, reason: "cannot read file: \(ExportError.describe(error))")
        }
        isGzip = magic.count == 2 && magic[magic.startIndex] == 0x1F && magic[magic.startIndex + 1] == 0x8B
        do {
            decoder = isGzip ? try GzipDecoder() : nil
            try handle.seek(toOffset: isGzip ? 0 : offset)
        } catch {
            throw ExportError(path: path, reason: "cannot read file: \(ExportError.describe(error))")
        }
        if isGzip, offset > 0 { try skipDecoded(offset) }
    }

    /// `bytes`, as the decoded content of `path` (no file is opened).
    init(bytes: [UInt8], path: String) {
        self.path = path
        isGzip = false
        handle = nil
        decoder = nil
        pending = bytes
        atEnd = true
    }

    deinit { try? handle?.close() }

    /// The next chunk of decoded bytes, or nil at the end of the file.
    func next() throws(ExportError) -> [UInt8]? {
        if !pending.isEmpty {
            defer { pending = [] }
            return pending
        }
        return try read()
    }

    private func read() throws(ExportError) -> [UInt8]? {
        while !atEnd, let handle {
            let data: Data
            do { data = try handle.read(upToCount: ByteInput.chunkSize) ?? Data() } catch {
                throw ExportError(path: path, reason: "cannot read file: \(ExportError.describe(error))")
            }
            guard let decoder else {
                if data.isEmpty { atEnd = true; return nil }
                return [UInt8](data)
            }
            if data.isEmpty {
                atEnd = true
                do { try decoder.finish() } catch { throw ExportError(path: path, reason: error.reason) }
                return nil
            }
            var decoded: [UInt8] = []
            do { try decoder.decode([UInt8](data), into: &decoded) } catch {
                throw ExportError(path: path, reason: error.reason)
            }
            if !decoded.isEmpty { return decoded }
        }
        return nil
    }

    /// Every remaining decoded byte (for documents, which are parsed whole).
    func readAll() throws(ExportError) -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = try next() { all.append(contentsOf: chunk) }
        return all
    }

    /// Decodes and drops `count` bytes; what is decoded past them waits in `pending`.
    private func skipDecoded(_ count: UInt64) throws(ExportError) {
        var remaining = count
        while remaining > 0, let chunk = try read() {
            if UInt64(chunk.count) <= remaining {
                remaining -= UInt64(chunk.count)
            } else {
                pending = Array(chunk[Int(remaining)...])
                remaining = 0
            }
        }
    }
}
