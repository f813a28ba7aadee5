import Foundation
import GRDB
import ParapetCore

/// Conversions between stored columns and Swift values: times are REAL epoch seconds, JSON is text.
extension Row {
    func date(_ column: String) -> Date {
        Date(timeIntervalSince1970: self[column] as Double)
    }

    func optionalDate(_ column: String) -> Date? {
        (self[column] as Double?).map(Date.init(timeIntervalSince1970:))
    }

    func json(_ column: String) throws -> JSONValue {
        try JSONValue(parsing: self[column] as String)
    }

    func stringArray(_ column: String) throws -> [String] {
        (try json(column).arrayValue ?? []).compactMap(\.stringValue)
    }

    /// A stored enum; an unknown value means the file was written by another version.
    func value<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T where T.RawValue == String {
        let text: String = self[column]
        guard let value = T(rawValue: text) else {
            throw StoreError(.database, "unexpected value '\(text)' in column \(column) — was the database written by a newer Parapet?")
        }
        return value
    }
}

extension Date {
    /// The stored form of a time: seconds since 1970.
    var epoch: Double { timeIntervalSince1970 }
}

extension Array where Element == String {
    /// The stored form of a list of strings: a JSON array.
    var jsonText: String { JSONValue.serialized(strings: self) }
}
