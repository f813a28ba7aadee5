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

/// One access token, reused until `margin` seconds before it expires; concurrent callers share a
/// single fetch, and a token an API refused (401) is forgotten. GCP and Azure token providers
/// differ only in `fetch`.
actor SharedAccessToken {
    private let margin: TimeInterval
    private let now: @Sendable () -> Date
    private let fetch: @Sendable (Date) async throws -> OAuthAccessToken
    private var current: OAuthAccessToken?
    private var inFlight: Task<OAuthAccessToken, any Error>?

    init(margin: TimeInterval, now: @escaping @Sendable () -> Date, fetch: @escaping @Sendable (Date) async throws -> OAuthAccessToken) {
        self.margin = margin
        self.now = now
        self.fetch = fetch
    }

    /// A valid access token; `forceRefresh` skips the cached one.
    func token(forceRefresh: Bool = false) async throws -> String {
        if !forceRefresh, let current, current.expiresAt.timeIntervalSince(now()) > margin { return current.value }
        if let inFlight { return try await inFlight.value.value }
        let task = Task { [fetch, now] in try await fetch(now()) }
        inFlight = task
        defer { inFlight = nil }
        let token = try await task.value
        current = token
        return token.value
    }

    /// Forgets `value` if it is the cached token (a 401 said it no longer works).
    func invalidate(_ value: String) {
        if current?.value == value { current = nil }
    }
}
