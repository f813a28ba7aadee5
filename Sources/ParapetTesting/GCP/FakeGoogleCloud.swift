import Crypto
import Foundation
import ParapetCore
import _CryptoExtras

/// Google's token endpoint, metadata server, Cloud Logging `entries.list` and Resource Manager
/// v3 (`projects.list`, `folders.list`, `folders.get`, `organizations.get`; see
/// `FakeGoogleCloud+ResourceManager.swift`), as documented, over the sample records. The JWT assertion's RS256
/// signature is verified with the service account's public key.
public actor FakeGoogleCloud {
    public var records: [CloudSamples.Record]
    let publicKey: _RSA.Signing.PublicKey
    var tokenURI = ""
    var projects: [JSONValue] = []
    var folders: [JSONValue] = []
    var organizations: [JSONValue] = []
    /// Resource names whose children (and themselves) the principal may not read.
    var deniedParents: Set<String> = []
    /// Items per Resource Manager list page.
    var resourcePageSize = 2
    /// `METHOD path?parent=…` of every Resource Manager call.
    public internal(set) var resourceManagerRequests: [String] = []

    public private(set) var tokenRequests = 0
    public private(set) var metadataRequests = 0
    public private(set) var listRequests: [JSONValue] = []
    public private(set) var served: [String: Int] = [:]
    private var issued: Set<String> = []
    private var revoked: Set<String> = []
    /// Answers given to the next `entries.list` calls before normal service.
    private var scripted: [FakeResponse] = []
    /// How long `entries.list` takes to answer.
    var delay: Duration = .zero

    public init(records: [CloudSamples.Record], publicKey: _RSA.Signing.PublicKey = GCPTestKeys.key.publicKey) {
        self.records = records
        self.publicKey = publicKey
    }

    public func setTokenURI(_ uri: String) { tokenURI = uri }
    public func setProjects(_ list: [JSONValue]) { projects = list }
    /// Folders as Resource Manager v3 returns them (`name`, `parent`, `displayName`, `state`).
    public func setFolders(_ list: [JSONValue]) { folders = list }
    /// Organizations (`name`, `displayName`, `state`).
    public func setOrganizations(_ list: [JSONValue]) { organizations = list }
    /// Listing under `parent`, or reading it, answers 403 PERMISSION_DENIED.
    public func deny(_ parent: String) { deniedParents.insert(parent) }
    public func setResourcePageSize(_ value: Int) { resourcePageSize = max(1, value) }
    public func setDelay(_ value: Duration) { delay = value }
    public func script(_ responses: [FakeResponse]) { scripted.append(contentsOf: responses) }
    /// Every token issued so far stops working (as after expiry).
    public func expireTokens() { revoked.formUnion(issued) }

    /// Answers one request.
    public func handle(_ request: FakeRequest) async -> FakeResponse {
        switch (request.method, request.path) {
        case ("POST", "/token"): return token(request)
        case ("GET", "/computeMetadata/v1/instance/service-accounts/default/token"): return metadata(request)
        case ("POST", "/v2/entries:list"):
            if delay > .zero { try? await Task.sleep(for: delay) }
            return list(request)
        case ("GET", "/v3/projects"): return resourceList(request, items: projects, member: "projects", permission: "resourcemanager.projects.list")
        case ("GET", "/v3/folders"): return resourceList(request, items: folders, member: "folders", permission: "resourcemanager.folders.list")
        case ("GET", let path) where path.hasPrefix("/v3/folders/") || path.hasPrefix("/v3/organizations/"): return resourceGet(request)
        default: return googleError(404, "NOT_FOUND", "no such method \(request.method) \(request.path)")
        }
    }

    // MARK: OAuth

    private func token(_ request: FakeRequest) -> FakeResponse {
        tokenRequests += 1
        let form = URLComponents(string: "http://x/?" + request.bodyText)?.queryItems ?? []
        func field(_ name: String) -> String? { form.first { $0.name == name }?.value }
        guard request.header("content-type") == "application/x-www-form-urlencoded",
              field("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer", let assertion = field("assertion") else {
            return .json(#"{"error":"unsupported_grant_type","error_description":"Invalid grant_type: "}"#, status: 400)
        }
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let header = FakeJWT.decode(parts[0]), let claims = FakeJWT.decode(parts[1]),
              let signature = FakeJWT.bytes(parts[2]) else {
            return .json(#"{"error":"invalid_grant","error_description":"Invalid JWT: Token must be a short-lived token and in a reasonable timeframe"}"#, status: 400)
        }
        let valid = publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature),
                                               for: SHA256.hash(data: Data((parts[0] + "." + parts[1]).utf8)), padding: .insecurePKCS1v1_5)
        guard valid else { return .json(#"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#, status: 400) }
        let now = Date().timeIntervalSince1970
        guard header["alg"]?.stringValue == "RS256", header["kid"]?.stringValue == GCPTestKeys.keyID,
              claims["iss"]?.stringValue == GCPTestKeys.clientEmail, claims["aud"]?.stringValue == tokenURI,
              claims["scope"]?.stringValue?.split(separator: " ").contains("https://www.googleapis.com/auth/logging.read") == true,
              let iat = claims["iat"]?.numberValue, let exp = claims["exp"]?.numberValue, exp - iat == 3600, abs(iat - now) < 300 else {
            return .json(#"{"error":"invalid_grant","error_description":"Invalid JWT claims."}"#, status: 400)
        }
        return issue()
    }

    private func metadata(_ request: FakeRequest) -> FakeResponse {
        metadataRequests += 1
        guard request.header("metadata-flavor") == "Google" else {
            return FakeResponse(status: 403, body: Data("Missing required header: Metadata-Flavor".utf8))
        }
        var response = issue()
        response.headers["Metadata-Flavor"] = "Google"
        return response
    }

    private func issue() -> FakeResponse {
        let token = "ya29.fake-\(issued.count + 1)"
        issued.insert(token)
        return .json(#"{"access_token":"\#(token)","expires_in":3599,"token_type":"Bearer"}"#)
    }

    func authorized(_ request: FakeRequest) -> Bool {
        guard let header = request.header("authorization"), header.hasPrefix("Bearer ") else { return false }
        let token = String(header.dropFirst(7))
        return issued.contains(token) && !revoked.contains(token)
    }

    // MARK: entries.list

    private func list(_ request: FakeRequest) -> FakeResponse {
        guard authorized(request) else {
            return googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
        }
        if !scripted.isEmpty { return scripted.removeFirst() }
        guard let body = try? JSONValue(parsing: request.body), let filter = body["filter"]?.stringValue,
              let names = body["resourceNames"]?.arrayValue, !names.isEmpty else {
            return googleError(400, "INVALID_ARGUMENT", "resourceNames is required")
        }
        listRequests.append(body)
        guard body["orderBy"]?.stringValue == "timestamp asc", let query = FakeLoggingFilter(filter) else {
            return googleError(400, "INVALID_ARGUMENT", "Unparseable filter: \(filter)")
        }
        let pageSize = min(1000, Int(body["pageSize"]?.numberValue ?? 50))
        var offset = 0
        if let token = body["pageToken"]?.stringValue {
            guard let decoded = FakePageToken.decode(token), decoded.query == filter else {
                return googleError(400, "INVALID_ARGUMENT", "page_token doesn't match arguments from the request")
            }
            offset = decoded.offset
        }
        let matching = records.enumerated().filter { query.matches($0.element) }
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        let page = Array(matching.dropFirst(offset).prefix(pageSize))
        for record in page { served[record.key, default: 0] += 1 }
        var answer: JSONObject = [:]
        if !page.isEmpty { answer["entries"] = .array(page.map(\.json)) }
        if offset + pageSize < matching.count { answer["nextPageToken"] = .string(FakePageToken.encode(offset: offset + pageSize, query: filter)) }
        return .json(JSONValue.object(answer).serialized())
    }

    func googleError(_ code: Int, _ status: String, _ message: String) -> FakeResponse {
        let body: JSONValue = ["error": ["code": .number(Double(code)), "message": .string(message), "status": .string(status)]]
        return .json(body.serialized(), status: code)
    }
}
