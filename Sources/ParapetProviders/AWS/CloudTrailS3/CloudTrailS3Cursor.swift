import Foundation
import ParapetCore

/// The position of a `CloudTrailS3Source`: per `ACCOUNT/REGION` folder, the last key read and
/// the keys read inside the overlap window (so late files are found and none is read twice).
struct CloudTrailS3Cursor: Codable, Hashable, Sendable {
    struct Folder: Codable, Hashable, Sendable {
        /// The greatest key read so far.
        var last: String?
        /// Keys already read that sort after the overlap floor; skipped when listed again.
        var recent: [String]
    }

    /// `ACCOUNT/REGION` → progress.
    var folders: [String: Folder]

    init(folders: [String: Folder] = [:]) { self.folders = folders }

    init(_ cursor: Cursor?, sourceID: String) throws {
        guard let cursor else {
            self = CloudTrailS3Cursor()
            return
        }
        do {
            self = try JSONDecoder().decode(CloudTrailS3Cursor.self, from: Data(cursor.rawValue.utf8))
        } catch {
            throw AWSError(.invalidCursor, "the stored cursor of \(sourceID) is not a CloudTrail S3 cursor: \(error)"
                           + " — reset the source's cursor")
        }
    }

    var cursor: Cursor {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Cursor(String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self))
    }
}
