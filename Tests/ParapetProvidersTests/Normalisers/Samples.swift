import Foundation
import ParapetCore

/// The shared sample records (`../shared/samples` beside the package root).
enum Samples {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent().appendingPathComponent("shared/samples")
    }()

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The records of a JSON-lines sample, with their 1-based line numbers.
    static func lines(_ relative: String) throws -> [(line: Int, record: JSONValue)] {
        let text = try String(contentsOf: url(relative), encoding: .utf8)
        var result: [(Int, JSONValue)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            result.append((index + 1, try JSONValue(parsing: String(line))))
        }
        return result
    }

    /// The record on `line` of a JSON-lines sample.
    static func record(_ relative: String, line: Int) throws -> JSONValue {
        guard let found = try lines(relative).first(where: { $0.line == line }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return found.record
    }
}
