import Foundation

/// How Parapet reaches Azure: the service principal (secret or certificate) or, without one, the
/// managed identity of the host; the endpoints (overridable for tests and sovereign clouds).
public struct AzureConfiguration: Sendable, Hashable {
    /// The Entra ID tenant (directory) id.
    public var tenant: String?
    /// The application (client) id; with neither secret nor certificate, picks a user-assigned
    /// managed identity.
    public var clientID: String?
    /// A file holding the client secret (e.g. a systemd credential).
    public var clientSecretFile: String?
    /// A PEM file holding the certificate and its RSA private key.
    public var certificateFile: String?
    public var endpoints: Endpoints
    /// The resource the token is for; the client-credentials scope is this + `.default`.
    public var resource: String
    /// Per-request timeout in seconds, at least 1 (URLSession on Linux treats a sub-second timeout as none).
    public var timeout: TimeInterval
    /// Retries of 429/5xx within one poll.
    public var retry: CloudRetryPolicy

    public init(tenant: String? = nil, clientID: String? = nil, clientSecretFile: String? = nil, certificateFile: String? = nil,
                endpoints: Endpoints = Endpoints(), resource: String = "https://management.azure.com/",
                timeout: TimeInterval = 30, retry: CloudRetryPolicy = CloudRetryPolicy()) {
        self.tenant = tenant
        self.clientID = clientID
        self.clientSecretFile = clientSecretFile
        self.certificateFile = certificateFile
        self.endpoints = endpoints
        self.resource = resource
        self.timeout = max(1, timeout)
        self.retry = retry
    }

    /// `https://management.azure.com/.default`
    var scope: String { (resource.hasSuffix("/") ? resource : resource + "/") + ".default" }

    public struct Endpoints: Sendable, Hashable {
        public var management: URL
        public var login: URL
        public var imds: URL

        public init(management: URL = URL(string: "https://management.azure.com")!,
                    login: URL = URL(string: "https://login.microsoftonline.com")!,
                    imds: URL = URL(string: "http://169.254.169.254")!) {
            self.management = management
            self.login = login
            self.imds = imds
        }
    }
}
