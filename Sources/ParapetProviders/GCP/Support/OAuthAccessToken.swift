import Foundation
import ParapetCore

/// A bearer token and when it stops being usable.
struct OAuthAccessToken: Sendable, Hashable {
    var value: String
    var expiresAt: Date

    /// Parses an OAuth 2.0 token response (`access_token`, `expires_in` as a number or, as Azure
    /// IMDS writes it, a string; `expires_on` in epoch seconds is accepted too).
    static func parse(_ body: Data, receivedAt now: Date) -> OAuthAccessToken? {
        guard let json = try? JSONValue(parsing: body),
              let token = json["access_token"]?.stringValue, !token.isEmpty else { return nil }
        if let seconds = json["expires_in"].flatMap(number) {
            return OAuthAccessToken(value: token, expiresAt: now.addingTimeInterval(seconds))
        }
        if let epoch = json["expires_on"].flatMap(number) {
            return OAuthAccessToken(value: token, expiresAt: Date(timeIntervalSince1970: epoch))
        }
        return OAuthAccessToken(value: token, expiresAt: now.addingTimeInterval(3600))
    }

    private static func number(_ value: JSONValue) -> Double? {
        value.numberValue ?? value.stringValue.flatMap(Double.init)
    }
}

/// Holds one access token until `margin` seconds before it expires, and lets concurrent callers
/// share a single fetch.
struct OAuthTokenCache: Sendable {
    private(set) var current: OAuthAccessToken?
    var margin: TimeInterval

    init(margin: TimeInterval) { self.margin = margin }

    func usable(at now: Date) -> OAuthAccessToken? {
        guard let current, current.expiresAt.timeIntervalSince(now) > margin else { return nil }
        return current
    }

    mutating func store(_ token: OAuthAccessToken) { current = token }

    /// Forgets `value` if it is the cached one (a 401 said it no longer works).
    mutating func invalidate(_ value: String) {
        if current?.value == value { current = nil }
    }
}
