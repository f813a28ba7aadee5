import Crypto
import Foundation
import ParapetCore
import _CryptoExtras

/// Entra ID's token endpoint (client secret and certificate assertion), IMDS, and Azure Resource
/// Manager's Activity Logs List (2015-04-01), Subscriptions List and Entities List (management
/// groups, `FakeAzure+ManagementGroups.swift`), as documented, over the sample events. The client assertion's RS256 signature and x5t are checked.
public actor FakeAzure {
    public static let tenant = "aaaabbbb-0000-cccc-1111-dddd2222eeee"
    public static let clientID = "00001111-aaaa-2222-bbbb-3333cccc4444"
    public static let secret = "s3cr3t~Value.That-Must-Not-Leak"
    public static let subscription = "5e1f0c2d-3b4a-4c5d-8e9f-0a1b2c3d4e5f"

    var records: [CloudSamples.Record]
    var base = ""
    /// Where `nextLink`s point (another host in the refusal test).
    var nextLinkBase: String?
    var pageSize = 3
    var remainingReads = 11_999
    var forbidden: Set<String> = []
    var subscriptions: [JSONValue] = []
    var managementGroups: [ManagementGroup] = []
    /// Subscription id → the name of its management group.
    var subscriptionGroups: [String: String] = [:]
    var managementGroupsForbidden = false
    public internal(set) var entitiesRequests: [FakeRequest] = []

    public private(set) var tokenRequests = 0
    public private(set) var imdsRequests = 0
    public private(set) var listRequests: [FakeRequest] = []
    private var issued: Set<String> = []
    private var revoked: Set<String> = []
    private var scripted: [FakeResponse] = []

    public init(records: [CloudSamples.Record]) { self.records = records }

    public func setBase(_ value: String) { base = value }
    public func setNextLinkBase(_ value: String?) { nextLinkBase = value }
    public func setPageSize(_ value: Int) { pageSize = value }
    public func setRemainingReads(_ value: Int) { remainingReads = value }
    /// Every Activity Logs call for `subscription` answers 403 AuthorizationFailed.
    public func forbid(_ subscription: String) { forbidden.insert(subscription) }
    public func setSubscriptions(_ list: [JSONValue]) { subscriptions = list }
    /// The management-group tree (the tenant root group included) and where each subscription sits.
    public func setManagementGroups(_ groups: [ManagementGroup], subscriptions placement: [String: String]) {
        managementGroups = groups
        subscriptionGroups = placement
    }
    /// Entities List answers 403 AuthorizationFailed (the principal has no management-group role).
    public func forbidManagementGroups() { managementGroupsForbidden = true }
    public func script(_ responses: [FakeResponse]) { scripted.append(contentsOf: responses) }
    public func expireTokens() { revoked.formUnion(issued) }

    /// Answers one request.
    public func handle(_ request: FakeRequest) -> FakeResponse {
        if request.method == "POST", request.path == "/\(Self.tenant)/oauth2/v2.0/token" { return token(request) }
        if request.method == "GET", request.path == "/metadata/identity/oauth2/token" { return imds(request) }
        if request.method == "GET", request.path == "/subscriptions" { return subscriptionsList(request) }
        if request.path == "/providers/Microsoft.Management/getEntities" { return entitiesList(request) }
        if request.method == "GET", request.path.hasPrefix("/subscriptions/"), request.path.hasSuffix("/providers/Microsoft.Insights/eventtypes/management/values") {
            return activityLogs(request)
        }
        return armError(404, "InvalidResourceType", "The resource type could not be found.")
    }

    // MARK: tokens

    private func token(_ request: FakeRequest) -> FakeResponse {
        tokenRequests += 1
        let form = URLComponents(string: "http://x/?" + request.bodyText)?.queryItems ?? []
        func field(_ name: String) -> String? { form.first { $0.name == name }?.value }
        guard field("grant_type") == "client_credentials", field("client_id") == Self.clientID,
              field("scope") == "https://management.azure.com/.default" else {
            return aadError("invalid_request", "AADSTS900144: The request body must contain the following parameter: 'grant_type'.", 90014, status: 400)
        }
        if let secret = field("client_secret") {
            guard secret == Self.secret else {
                return aadError("invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '\(Self.clientID)'.", 7000215, status: 401)
            }
            return issue()
        }
        guard field("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
              let assertion = field("client_assertion") else {
            return aadError("invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", 7000218, status: 401)
        }
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let header = FakeJWT.decode(parts[0]), let claims = FakeJWT.decode(parts[1]),
              let signature = FakeJWT.bytes(parts[2]),
              let key = try? _RSA.Signing.PrivateKey(pemRepresentation: AzureTestCertificate.privateKey).publicKey,
              key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature),
                                   for: SHA256.hash(data: Data((parts[0] + "." + parts[1]).utf8)), padding: .insecurePKCS1v1_5)
        else {
            return aadError("invalid_client", "AADSTS700027: Client assertion failed signature validation.", 700027, status: 401)
        }
        let now = Date().timeIntervalSince1970
        guard header["alg"]?.stringValue == "RS256", header["x5t"]?.stringValue == AzureTestCertificate.x5t,
              claims["aud"]?.stringValue == "\(base)/\(Self.tenant)/oauth2/v2.0/token",
              claims["iss"]?.stringValue == Self.clientID, claims["sub"]?.stringValue == Self.clientID,
              claims["jti"]?.stringValue?.isEmpty == false,
              let nbf = claims["nbf"]?.numberValue, let exp = claims["exp"]?.numberValue, nbf <= now + 60, exp > now else {
            return aadError("invalid_client", "AADSTS700024: Client assertion is not within its valid time range.", 700024, status: 401)
        }
        return issue()
    }

    private func imds(_ request: FakeRequest) -> FakeResponse {
        imdsRequests += 1
        guard request.header("metadata") == "true" else {
            return .json(#"{"error":"invalid_request","error_description":"Required metadata header not specified"}"#, status: 400)
        }
        guard request.query["api-version"] == "2018-02-01", request.query["resource"] == "https://management.azure.com/" else {
            return .json(#"{"error":"invalid_request","error_description":"Invalid resource or api-version"}"#, status: 400)
        }
        let token = "eyJ0eXAi.imds-\(issued.count + 1)"
        issued.insert(token)
        let expiresOn = Int(Date().timeIntervalSince1970) + 86_399
        return .json(#"{"access_token":"\#(token)","refresh_token":"","expires_in":"86399","expires_on":"\#(expiresOn)","not_before":"\#(expiresOn - 86_399)","resource":"https://management.azure.com/","token_type":"Bearer"}"#)
    }

    private func issue() -> FakeResponse {
        let token = "eyJ0eXAi.fake-\(issued.count + 1)"
        issued.insert(token)
        return .json(#"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"\#(token)"}"#)
    }

    func authorization(_ request: FakeRequest) -> FakeResponse? {
        guard let header = request.header("authorization"), header.hasPrefix("Bearer "), issued.contains(String(header.dropFirst(7))) else {
            return armError(401, "InvalidAuthenticationToken", "The access token is invalid.")
        }
        if revoked.contains(String(header.dropFirst(7))) {
            return armError(401, "ExpiredAuthenticationToken", "The access token expiry UTC time '11/28/2026 9:00:00 AM' is earlier than current UTC time '11/28/2026 9:05:00 AM'.")
        }
        return nil
    }

    // MARK: Activity Logs List

    private func activityLogs(_ request: FakeRequest) -> FakeResponse {
        if let refused = authorization(request) { return refused }
        listRequests.append(request)
        let subscription = request.path.split(separator: "/")[1]
        if forbidden.contains(String(subscription)) {
            return armError(403, "AuthorizationFailed", "The client '\(Self.clientID)' with object id 'f409edeb-4d29-44b5-9763-ee9348ad91bb' does not have authorization to perform action 'Microsoft.Insights/eventtypes/values/read' over scope '/subscriptions/\(subscription)' or the scope is invalid. If access was recently granted, please refresh your credentials.")
        }
        if !scripted.isEmpty { return scripted.removeFirst() }
        guard request.query["api-version"] == "2015-04-01" else {
            return armError(400, "InvalidApiVersionParameter", "The api-version '\(request.query["api-version"] ?? "")' is invalid.")
        }
        guard let filter = request.query["$filter"], let window = FakeActivityFilter(filter) else {
            return armError(400, "BadRequest", "The $filter '\(request.query["$filter"] ?? "")' is invalid.")
        }
        let offset = Int(request.query["$skipToken"] ?? "0") ?? 0
        let matching = records.enumerated().filter { $0.element.time >= window.from && $0.element.time <= window.to }
            .sorted { ($0.element.time, $0.offset) > ($1.element.time, $1.offset) }.map(\.element)
        let page = Array(matching.dropFirst(offset).prefix(pageSize))
        var answer: JSONObject = ["value": .array(page.map(\.json))]
        if offset + pageSize < matching.count {
            var link = URLComponents(string: (nextLinkBase ?? base) + request.path)!
            link.queryItems = [URLQueryItem(name: "api-version", value: "2015-04-01"), URLQueryItem(name: "$filter", value: filter),
                               URLQueryItem(name: "$skipToken", value: String(offset + pageSize))]
            answer["nextLink"] = .string(link.string!)
        }
        remainingReads -= 1
        return .json(JSONValue.object(answer).serialized(), headers: ["x-ms-ratelimit-remaining-subscription-reads": String(remainingReads)])
    }

    // MARK: Subscriptions List

    private func subscriptionsList(_ request: FakeRequest) -> FakeResponse {
        if let refused = authorization(request) { return refused }
        guard request.query["api-version"] == "2020-01-01" else { return armError(400, "InvalidApiVersionParameter", "bad api-version") }
        let offset = Int(request.query["$skipToken"] ?? "0") ?? 0
        var answer: JSONObject = ["value": .array(Array(subscriptions.dropFirst(offset).prefix(2)))]
        if offset + 2 < subscriptions.count {
            answer["nextLink"] = .string("\(nextLinkBase ?? base)/subscriptions?api-version=2020-01-01&$skipToken=\(offset + 2)")
        }
        return .json(JSONValue.object(answer).serialized())
    }

    func armError(_ status: Int, _ code: String, _ message: String) -> FakeResponse {
        let body: JSONValue = ["error": ["code": .string(code), "message": .string(message)]]
        return .json(body.serialized(), status: status)
    }

    func aadError(_ error: String, _ description: String, _ code: Int, status: Int) -> FakeResponse {
        let body: JSONValue = ["error": .string(error), "error_description": .string(description), "error_codes": [.number(Double(code))],
                               "timestamp": "2026-11-28 09:00:00Z", "trace_id": "0000aaaa-11bb-cccc-dd22-eeeeee333333",
                               "correlation_id": "aaaa0000-bb11-2222-33cc-444444dddddd"]
        return .json(body.serialized(), status: status)
    }
}
