import Foundation
import ParapetCore

/// The shared sample records, each with its timestamp.
public enum CloudSamples {
    /// One record and its time.
    public struct Record: Sendable {
        public var json: JSONValue
        public var time: Date

        public init(json: JSONValue, time: Date) {
            self.json = json
            self.time = time
        }

        /// The record serialized, as a key.
        public var key: String { json.serialized() }
    }

    /// Every line of `samples/<relativePath>` with its `timeField` parsed.
    public static func load(_ relativePath: String, timeField: String) throws -> [Record] {
        let text = try String(contentsOf: PackagePaths.sample(relativePath), encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { line in
            let json = try JSONValue(parsing: String(line))
            guard let time = json[timeField]?.stringValue.flatMap(ISO8601.date(from:)) else {
                throw CloudTestFailure("sample \(relativePath) has a record without a parseable \(timeField)")
            }
            return Record(json: json, time: time)
        }
    }
}

/// A test fixture problem.
public struct CloudTestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
