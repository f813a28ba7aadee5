import Foundation
import ParapetCore

/// An access key, its secret and (for temporary credentials) a session token. Printing,
/// interpolating or dumping it never shows the secret or the token.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// True when the credentials expire within `margin` seconds of `now`.
    public func expires(within margin: TimeInterval, of now: Date = Date()) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(now) <= margin
    }

    /// The access key id shortened to its first four characters (`AKIA…`), for messages.
    public var redactedAccessKeyID: String { String(accessKeyID.prefix(4)) + "…" }

    public var description: String {
        var text = "AWSCredentials(accessKeyID: \(redactedAccessKeyID), secretAccessKey: <redacted>"
        if sessionToken != nil { text += ", sessionToken: <redacted>" }
        if let expiration { text += ", expiration: \(ISO8601.string(from: expiration))" }
        return text + ")"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": redactedAccessKeyID, "secretAccessKey": "<redacted>",
                                "sessionToken": sessionToken == nil ? "nil" : "<redacted>"], displayStyle: .struct)
    }
}

/// Something that hands out credentials: the environment, a profile, a role to assume…
/// Implementations cache and refresh as they need to.
public protocol AWSCredentialProvider: Sendable {
    /// Current credentials, refreshed when they are about to expire.
    func credentials() async throws -> AWSCredentials
    /// Forgets cached credentials (AWS said they expired); the next call fetches new ones.
    func invalidate() async
}

extension AWSCredentialProvider {
    public func invalidate() async {}
}

/// Fixed credentials (tests, or keys that come from the configuration).
public struct StaticCredentialProvider: AWSCredentialProvider {
    let value: AWSCredentials
    public init(_ credentials: AWSCredentials) { self.value = credentials }
    public func credentials() async throws -> AWSCredentials { value }
}
