import ArgumentParser
import Foundation
import ParapetDaemon
import ParapetPolicy

/// The policy paths of a `parapet policy` command: the arguments, the configuration's
/// `policies`, or `policies` if it exists; and the `expand` placeholder values.
struct PolicyPaths: ParsableArguments {
    @Argument(help: "Policy files or directories (default: the configuration's 'policies', else ./policies).")
    var paths: [String] = []

    @Option(help: "Configuration file whose 'placeholders' (and 'policies', when no path is given) to use.")
    var config: String?

    @Option(name: .customLong("placeholder"), help: "A placeholder's values, name=v1,v2 (repeatable; wins over the configuration).")
    var placeholders: [String] = []

    /// A loader with the placeholder values of `--config` and `--placeholder`.
    func loader() throws -> PolicyLoader {
        var expansions: [String: [String]] = [:]
        if let config { expansions = try ParapetConfiguration.load(file: config).placeholders }
        for assignment in placeholders {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("--placeholder must be name=value1,value2, not '\(assignment)'")
            }
            let name = String(assignment[..<equals]).trimmingCharacters(in: CharacterSet(charactersIn: "%"))
            expansions[name] = assignment[assignment.index(after: equals)...].split(separator: ",").map(String.init)
        }
        return PolicyLoader(expansions: expansions)
    }

    func resolved() throws -> [String] {
        if !paths.isEmpty { return paths }
        if let config { return try ParapetConfiguration.load(file: config).policies }
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
