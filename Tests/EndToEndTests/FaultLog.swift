import Foundation
import ParapetCore

/// The daemon's `--log-format json` output, one object per line, for checking what it said.
enum FaultLog {
    struct Line {
        var text: String
        var object: JSONObject
        subscript(key: String) -> String? { object[key]?.stringValue }
    }

    static func lines(_ log: String) -> [Line] {
        log.split(separator: "\n").compactMap { line in
            guard let object = (try? JSONValue(parsing: String(line)))?.objectValue else { return nil }
            return Line(text: String(line), object: object)
        }
    }
}
