import Foundation

/// Why the daemon cannot start or run; each says what to do.
public struct DaemonError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable { case policies, secrets, database, configuration, http }
    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
