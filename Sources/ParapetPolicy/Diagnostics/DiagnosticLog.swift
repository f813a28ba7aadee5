import Yams

/// Collects the diagnostics of one file while it is being compiled.
struct DiagnosticLog {
    let file: String
    private(set) var entries: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    var hasErrors: Bool { entries.contains { $0.severity == .error } }
    var errorCount: Int { entries.filter { $0.severity == .error }.count }

    mutating func error(_ message: String, at node: Node?, hint: String? = nil) {
        add(.error, message, at: PolicyLocation(file: file, node: node), hint: hint)
    }

    mutating func warning(_ message: String, at node: Node?, hint: String? = nil) {
        add(.warning, message, at: PolicyLocation(file: file, node: node), hint: hint)
    }

    mutating func add(_ severity: Diagnostic.Severity, _ message: String, at location: PolicyLocation, hint: String? = nil) {
        entries.append(Diagnostic(severity: severity, file: location.file, line: location.line,
                                  column: location.column, message: message, hint: hint))
    }

    mutating func append(contentsOf other: [Diagnostic]) {
        entries.append(contentsOf: other)
    }
}
