import Foundation

/// The receiving side of Standard Webhooks, as a receiver's library implements it: for tests,
/// `parapet doctor` and documentation. Parapet itself only signs.
public enum StandardWebhooksVerifier {
    /// Why a webhook did not verify.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case missingHeader(String)
        case invalidTimestamp(String)
        case timestampTooOld, timestampTooNew
        case noMatchingSignature

        public var description: String {
            switch self {
            case .missingHeader(let name): "missing header \(name)"
            case .invalidTimestamp(let value): "webhook-timestamp '\(value)' is not unix seconds"
            case .timestampTooOld: "webhook-timestamp is older than the tolerance (replayed or delayed)"
            case .timestampTooNew: "webhook-timestamp is in the future beyond the tolerance (clock skew?)"
            case .noMatchingSignature: "no v1 signature in webhook-signature matches the body"
            }
        }
    }

    /// Checks `webhook-id`, `webhook-timestamp` (within `tolerance` of `now`) and that one of the
    /// space-separated `v1,<base64>` signatures is the HMAC of `id.timestamp.body`.
    /// Header names are matched case-insensitively.
    public static func verify(body: Data, headers: [String: String], secret: WebhookSecret,
                              tolerance: TimeInterval = 300, now: Date = Date()) throws(Failure) {
        let lowered = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let id = lowered["webhook-id"], !id.isEmpty else { throw .missingHeader("webhook-id") }
        guard let stamp = lowered["webhook-timestamp"], !stamp.isEmpty else { throw .missingHeader("webhook-timestamp") }
        guard let signatures = lowered["webhook-signature"], !signatures.isEmpty else {
            throw .missingHeader("webhook-signature")
        }
        guard let timestamp = Int(stamp.trimmingCharacters(in: .whitespaces)) else { throw .invalidTimestamp(stamp) }
        let age = now.timeIntervalSince1970 - TimeInterval(timestamp)
        if age > tolerance { throw .timestampTooOld }
        if age < -tolerance { throw .timestampTooNew }
        for candidate in signatures.split(separator: " ") {
            let parts = candidate.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let mac = Data(base64Encoded: String(parts[1])) else { continue }
            if secret.isValid(mac: mac, id: id, timestamp: timestamp, body: body) { return }
        }
        throw .noMatchingSignature
    }
}
