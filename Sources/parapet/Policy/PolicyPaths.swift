import ArgumentParser
import Foundation

/// The policy paths of a `parapet policy` command: the arguments, or `policies` if it exists.
struct PolicyPaths: ParsableArguments {
    @Argument(help: "Policy files or directories (default: ./policies).")
    var paths: [String] = []

    func resolved() throws -> [String] {
        if !paths.isEmpty { return paths }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "policies", isDirectory: &isDirectory), isDirectory.boolValue {
            return ["policies"]
        }
        FileHandle.standardError.write(Data("error: no policy path given and ./policies does not exist\n".utf8))
        throw ExitCode(2)
    }
}

/// Writes machine-readable output.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}
