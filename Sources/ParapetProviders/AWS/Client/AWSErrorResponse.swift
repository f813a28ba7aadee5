import Foundation
import ParapetCore

/// Reads AWS's error answers: JSON (`__type`, `message`), Query XML (`ErrorResponse/Error`)
/// and S3 XML (`Error/Code`).
enum AWSErrorResponse {
    static func error(from response: HTTPResponse, operation: String, service: String, region: String) -> AWSError {
        var code: String?
        var message: String?
        if let json = try? JSONValue(parsing: response.body), case .object = json {
            code = json["__type"]?.stringValue ?? json["code"]?.stringValue ?? json["Code"]?.stringValue
            message = json["message"]?.stringValue ?? json["Message"]?.stringValue
        } else if let xml = try? AWSXMLElement.parse(response.body, context: operation) {
            code = xml.descendant("Code")?.text
            message = xml.descendant("Message")?.text
        }
        if code == nil, let header = response.header("x-amzn-errortype") { code = header }
        // JSON protocols may qualify the code: `com.amazonaws.cloudtrail#ThrottlingException` or `Code:http://…`.
        if let raw = code {
            var short = Substring(raw)
            if let hash = short.lastIndex(of: "#") { short = short[short.index(after: hash)...] }
            if let colon = short.firstIndex(of: ":") { short = short[..<colon] }
            code = String(short)
        }
        let what = message.map { ": \($0)" } ?? (response.status >= 500 ? ": server error" : "")
        let text = "\(operation) on \(service) in \(region) failed with HTTP \(response.status)\(what)\(hint(code, response.status))"
        if let code, AWSRetryPolicy.throttlingCodes.contains(code) {
            return AWSError(.throttled, text, awsCode: code, status: response.status)
        }
        return AWSError(.serviceError, text, awsCode: code, status: response.status)
    }

    /// Codes that mean "your temporary credentials expired": the provider is told to fetch new ones.
    static let expiredCodes: Set<String> = ["ExpiredToken", "ExpiredTokenException", "RequestExpired"]

    static func isRetryable(_ error: AWSError) -> Bool {
        if error.code == .throttled { return true }
        guard let status = error.status else { return false }
        return status >= 500 || status == 429
    }

    private static func hint(_ code: String?, _ status: Int) -> String {
        switch code {
        case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError":
            return " — grant the audit role this permission"
        case "ExpiredToken", "ExpiredTokenException", "RequestExpired":
            return " — the credentials have expired; refresh them"
        case "InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId", "SignatureDoesNotMatch",
            "IncompleteSignature", "MissingAuthenticationToken", "InvalidSignatureException", "MissingAuthenticationTokenException":
            return " — check the access key and secret Parapet uses"
        case "NoSuchBucket": return " — check the bucket name"
        default: return status == 403 ? " — check the credentials and the role's permissions" : ""
        }
    }
}
