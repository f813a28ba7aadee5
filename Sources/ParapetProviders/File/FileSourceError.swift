/// A problem with a file source as a whole (its path, its cursor).
public struct FileSourceError: Error, CustomStringConvertible, Sendable, Hashable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
