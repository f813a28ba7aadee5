import Foundation
import ParapetCore

/// The `Cursor` of a `FileSource`: for every file read so far, what the file looked like and
/// how far into it the source has got. Stored as JSON.
struct FileCursor: Codable, Equatable {
    struct Progress: Codable, Equatable {
        /// File size, modification time (seconds since 1970) and inode when last read.
        var size: UInt64
        var mtime: Double
        var inode: UInt64
        /// Where to resume (decoded offset of the next line, its number, records done in it).
        var position: ExportPosition
        /// Plain (not gzip) JSON lines: appended data is read from `position`.
        var appendable: Bool
        /// Everything up to `size` has been read.
        var complete: Bool
    }

    var version = 1
    var files: [String: Progress] = [:]

    init() {}

    init(_ cursor: Cursor?) throws(FileSourceError) {
        guard let cursor else { return }
        do {
            self = try JSONDecoder().decode(FileCursor.self, from: Data(cursor.rawValue.utf8))
        } catch {
            throw FileSourceError("the stored file cursor is not valid (\(error)); reset the source's cursor to read the files again")
        }
    }

    var cursor: Cursor {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return Cursor(String(decoding: data, as: UTF8.self))
    }
}
