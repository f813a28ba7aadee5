/// A benchmark could not be set up or run; the message says what and what to do.
public struct BenchError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
