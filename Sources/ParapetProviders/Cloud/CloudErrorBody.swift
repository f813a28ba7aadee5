import Foundation
import ParapetCore

/// The error bodies of Google APIs (`{"error":{"code":403,"message":…,"status":"PERMISSION_DENIED"}}`),
/// Azure Resource Manager (`{"error":{"code":"AuthorizationFailed","message":…}}`) and OAuth
/// token endpoints (`{"error":"invalid_client","error_description":"AADSTS7000215: …"}`).
struct CloudErrorBody: Sendable, Hashable {
    /// `PERMISSION_DENIED`, `AuthorizationFailed`, `invalid_client`.
    var code: String?
    var message: String?

    init(_ body: Data) {
        guard let json = try? JSONValue(parsing: body) else { return }
        if let error = json["error"]?.objectValue {
            code = error["status"]?.stringValue ?? error["code"]?.scalarText
            message = error["message"]?.stringValue
        } else if let error = json["error"]?.stringValue {
            code = error
            message = json["error_description"]?.stringValue
        }
    }

    /// `CODE: message`, or the start of a non-JSON body.
    static func summary(_ body: Data) -> String {
        let parsed = CloudErrorBody(body)
        if parsed.code != nil || parsed.message != nil {
            return [parsed.code, parsed.message].compactMap { $0 }.joined(separator: ": ").cloudClipped(600)
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? "(empty body)" : "'\(text.cloudClipped(200))'"
    }
}

extension String {
    func cloudClipped(_ limit: Int) -> String {
        count <= limit ? self : String(prefix(limit)) + "…"
    }
}
