import Crypto
import Foundation

/// A receiver's check, written independently of the code under test after the Standard Webhooks
/// Python library: headers present, timestamp within 5 minutes, one `v1` signature equal
/// (constant time) to HMAC-SHA256(key, "id.timestamp.body").
enum ReferenceVerifier {
    static func problem(with request: ReceivedRequest, key: Data, now: Date = Date()) -> String? {
        guard let id = request.headers["webhook-id"], let stamp = request.headers["webhook-timestamp"],
              let signatures = request.headers["webhook-signature"]
        else { return "missing required headers" }
        guard let seconds = Double(stamp) else { return "invalid timestamp" }
        if abs(now.timeIntervalSince1970 - seconds) > 300 { return "timestamp out of tolerance" }
        var signed = Data("\(id).\(stamp).".utf8)
        signed.append(request.body)
        for candidate in signatures.split(separator: " ") {
            let parts = candidate.split(separator: ",")
            guard parts.count == 2, parts[0] == "v1", let mac = Data(base64Encoded: String(parts[1])) else { continue }
            if HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: SymmetricKey(data: key)) {
                return nil
            }
        }
        return "no matching signature"
    }
}
