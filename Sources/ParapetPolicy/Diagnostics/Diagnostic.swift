/// One problem found while loading a policy file, with its place in the file.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How bad the problem is: errors keep a policy out of the set, warnings do not.
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    public var severity: Severity
    /// The file as it was given to the loader (not made absolute).
    public var file: String
    /// 1-based line; 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int
    public var message: String
    /// What to do about it ("did you mean 'startswith'?"), when something helps.
    public var hint: String?

    /// Creates a diagnostic.
    public init(severity: Severity, file: String, line: Int, column: Int, message: String, hint: String? = nil) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// Compiler style: `path:line:column: error: message — hint`.
    public var rendered: String {
        var text = "\(file):\(line):\(column): \(severity.rawValue): \(message)"
        if let hint { text += " — \(hint)" }
        return text
    }

    public var description: String { rendered }
}
