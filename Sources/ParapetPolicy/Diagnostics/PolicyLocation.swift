import Yams

/// A place in a policy file (1-based line and column).
public struct PolicyLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    init(file: String, node: Node?) {
        self.init(file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0)
    }

    /// The same line, `offset` scalars to the right.
    func shifted(by offset: Int) -> PolicyLocation {
        PolicyLocation(file: file, line: line, column: column + offset)
    }

    public var description: String { "\(file):\(line):\(column)" }
}
