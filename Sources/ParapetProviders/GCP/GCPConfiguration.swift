import Foundation

/// How Parapet reaches Google Cloud: the credentials and the endpoints (overridable for tests
/// and private service connect).
public struct GCPConfiguration: Sendable, Hashable {
    /// A service-account key file (JSON). Nil: use the metadata server of the GCE/GKE host.
    public var credentialsFile: String?
    public var endpoints: Endpoints
    /// OAuth scopes requested for the token.
    public var scopes: [String]
    /// Per-request timeout in seconds, at least 1 (URLSession on Linux treats a sub-second timeout as none).
    public var timeout: TimeInterval
    /// Retries of 429/5xx within one poll.
    public var retry: CloudRetryPolicy

    public init(credentialsFile: String? = nil, endpoints: Endpoints = Endpoints(),
                scopes: [String] = GCPConfiguration.defaultScopes, timeout: TimeInterval = 30,
                retry: CloudRetryPolicy = CloudRetryPolicy()) {
        self.credentialsFile = credentialsFile
        self.endpoints = endpoints
        self.scopes = scopes
        self.timeout = max(1, timeout)
        self.retry = retry
    }

    /// Reading logs, and listing projects for discovery.
    public static let defaultScopes = [
        "https://www.googleapis.com/auth/logging.read",
        "https://www.googleapis.com/auth/cloudplatformprojects.readonly",
    ]

    public struct Endpoints: Sendable, Hashable {
        public var logging: URL
        public var metadata: URL
        public var resourceManager: URL

        public init(logging: URL = URL(string: "https://logging.googleapis.com")!,
                    metadata: URL = URL(string: "http://metadata.google.internal")!,
                    resourceManager: URL = URL(string: "https://cloudresourcemanager.googleapis.com")!) {
            self.logging = logging
            self.metadata = metadata
            self.resourceManager = resourceManager
        }
    }
}

extension URL {
    /// `base` + `/path`, without doubling the slash.
    func appendingAPIPath(_ path: String) -> URL {
        var text = absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return URL(string: text + path) ?? self
    }
}
