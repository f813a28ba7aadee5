import Foundation
import ParapetCore

/// The part of the Logging query language the audit source writes:
/// `(log_id("…") OR …) AND timestamp>="…" AND timestamp<"…"`.
struct FakeLoggingFilter {
    var logIDs: [String]
    var from: Date
    var to: Date

    init?(_ filter: String) {
        logIDs = FakeLoggingFilter.captures(#"log_id\("([^"]+)"\)"#, in: filter)
        guard !logIDs.isEmpty,
              let lower = FakeLoggingFilter.captures(#"timestamp>="([^"]+)""#, in: filter).first.flatMap(ISO8601.date(from:)),
              let upper = FakeLoggingFilter.captures(#"timestamp<"([^"]+)""#, in: filter).first.flatMap(ISO8601.date(from:))
        else { return nil }
        from = lower
        to = upper
    }

    func matches(_ record: CloudSamples.Record) -> Bool {
        guard record.time >= from, record.time < to, let logName = record.json["logName"]?.stringValue else { return false }
        let decoded = logName.removingPercentEncoding ?? logName
        return logIDs.contains { decoded.hasSuffix("/logs/" + $0) }
    }

    static func captures(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}

/// Opaque page tokens that remember the query they belong to.
enum FakePageToken {
    static func encode(offset: Int, query: String) -> String {
        Data("\(offset)\n\(query)".utf8).base64EncodedString()
    }

    static func decode(_ token: String) -> (offset: Int, query: String)? {
        guard let data = Data(base64Encoded: token) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let newline = text.firstIndex(of: "\n"), let offset = Int(text[..<newline]) else { return nil }
        return (offset, String(text[text.index(after: newline)...]))
    }
}

/// Decoding the parts of a compact JWT.
enum FakeJWT {
    static func bytes(_ part: String) -> Data? {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text)
    }

    static func decode(_ part: String) -> JSONValue? {
        bytes(part).flatMap { try? JSONValue(parsing: $0) }
    }
}
