import Foundation
import ParapetCore

extension CloudSourceError {
    /// The error for an API response that is not a success: the status and the provider's own
    /// error code and message, then what to do (`hint`, by status).
    static func http(_ response: HTTPResponse, subject: String, operation: String, hints: [Int: String] = [:]) -> CloudSourceError {
        let code: Code
        switch response.status {
        case 401: code = .authentication
        case 403: code = .permission
        case 404: code = .notFound
        case 429: code = .throttled
        case 500...599: code = .server
        default: code = .badRequest
        }
        var message = "\(operation) answered \(response.status): \(CloudErrorBody.summary(response.body))"
        if let hint = hints[response.status] ?? defaultHints[code] { message += " — \(hint)" }
        return CloudSourceError(code, subject: subject, message: message,
                                retryAfter: response.status == 429 ? response.retryAfter : nil, status: response.status)
    }

    private static let defaultHints: [Code: String] = [
        .throttled: "throttled after the poll's retries; the daemon backs off and polls again",
        .server: "the provider failed after the poll's retries; the daemon backs off and polls again",
        .authentication: "the access token was refused even after a refresh; check the credentials",
    ]
}
