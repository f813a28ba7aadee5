import Crypto
import Foundation

/// Verifies a Standard Webhooks request the way the reference libraries do
/// (standard-webhooks/standard-webhooks `libraries/`): the key is the base64 text after `whsec_`,
/// the signed content is `id.timestamp.body`, each space-separated `v1,<base64>` signature is
/// compared in constant time, and the timestamp must be within 5 minutes of now either way.
/// Written independently of ParapetNotifiers so that it checks the sender rather than mirroring it.
public struct StandardWebhooksCheck: Sendable {
    public static let tolerance: TimeInterval = 300
    let key: SymmetricKey

    /// A checker for `secret` in its `whsec_<base64>` form.
    public init(secret: String) throws {
        guard secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))), !bytes.isEmpty else {
            throw CheckError(description: "the secret is not in the whsec_<base64> form")
        }
        key = SymmetricKey(data: bytes)
    }

    /// A new random secret in the `whsec_` form (32 bytes, as the Standard Webhooks docs suggest).
    public static func makeSecret() -> String {
        "whsec_" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
    }

    /// Nil when the headers sign `body`; else the reason it does not verify.
    public func failure(id: String?, timestamp: String?, signatures: String?, body: Data, now: Date = Date()) -> String? {
        guard let id, !id.isEmpty else { return "missing webhook-id" }
        guard let timestamp, let seconds = Int(timestamp) else { return "missing or invalid webhook-timestamp" }
        guard let signatures, !signatures.isEmpty else { return "missing webhook-signature" }
        let nowSeconds = Int(now.timeIntervalSince1970)
        if seconds < nowSeconds - Int(Self.tolerance) { return "message timestamp too old" }
        if seconds > nowSeconds + Int(Self.tolerance) { return "message timestamp too new" }
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        for candidate in signatures.split(separator: " ") {
            let parts = candidate.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let mac = Data(base64Encoded: String(parts[1])) else { continue }
            if HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key) { return nil }
        }
        return "no matching signature"
    }

    struct CheckError: Error, CustomStringConvertible {
        var description: String
    }
}
