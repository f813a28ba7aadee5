import Foundation

/// gzip through `/bin/gzip`, an implementation independent of Parapet's own decoder, for fixtures.
public enum GzipTool {
    /// gzip failed.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// gunzip.
    public static func decompress(_ data: Data) throws -> Data { try run(["-dc"], data) }

    /// gzip.
    public static func compress(_ data: Data) throws -> Data { try run(["-c"], data) }

    private static func run(_ arguments: [String], _ data: Data) throws -> Data {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-\(UUID().uuidString)")
        try data.write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = arguments + [input.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "gzip \(arguments.joined(separator: " ")) failed: "
                          + String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result
    }
}
