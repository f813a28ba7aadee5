import Foundation

/// Caches credentials from `fetch` and fetches again `refreshMargin` seconds before they
/// expire. Concurrent callers share one refresh.
public actor RefreshingCredentialProvider: AWSCredentialProvider {
    private let fetch: @Sendable () async throws -> AWSCredentials
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?

    public init(refreshMargin: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() },
                fetch: @escaping @Sendable () async throws -> AWSCredentials) {
        self.fetch = fetch
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public func credentials() async throws -> AWSCredentials {
        if let cached, !cached.expires(within: refreshMargin, of: now()) { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await fetch() }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh
    }

    /// Forgets the cached credentials (after AWS said they are expired or invalid).
    public func invalidate() { cached = nil }
}
