import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let magic = try ByteInput.read(handle, upTo: 2, path: path)
        isGzip = magic.count == 2 && magic[0] == 0x1F && magic[1] == 0x8B
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
            let data = try ByteInput.read(handle, upTo: ByteInput.chunkSize, path: path)
            guard let decoder else {
                if data.isEmpty { atEnd = true; return nil }
                return data
            }
            if data.isEmpty {
                atEnd = true
                do { try decoder.finish() } catch { throw ExportError(path: path, reason: error.reason) }
                return nil
            }
            var decoded: [UInt8] = []
            do { try decoder.decode(data, into: &decoded) } catch {
                throw ExportError(path: path, reason: error.reason)
            }
            if !decoded.isEmpty { return decoded }
        }
        return nil
    }

    /// Up to `count` bytes from the file's position (fewer only at its end), read straight into
    /// the array that is handed out (`FileHandle.read` read them into a `Data` first, which was
    /// then copied); empty at the end of the file. A failed read names the file and the error.
    private static func read(_ handle: FileHandle, upTo count: Int, path: String) throws(ExportError) -> [UInt8] {
        let descriptor = handle.fileDescriptor
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, filled in
            filled = 0
            while filled < buffer.count {
                let read = systemRead(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
                if read > 0 {
                    filled += read
                } else if read == 0 {
                    return
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        guard failure == 0 else { throw ExportError(path: path, reason: "cannot read file: \(String(cString: strerror(failure)))") }
        return bytes
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

/// read(2) (the name `read` is a method of `ByteInput`).
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}
