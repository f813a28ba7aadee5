import Foundation
import ParapetCore
import _CryptoExtras

/// An RSA key pair generated once per test run, written as a service-account key file.
public enum GCPTestKeys {
    public static let key: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    public static let otherKey: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    public static let clientEmail = "parapet-audit@payments-prod.iam.gserviceaccount.com"
    public static let keyID = "3f1c2b9d8e7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e"

    /// Writes a key file whose `token_uri` is the fake server's `/token`.
    public static func writeKeyFile(in directory: TemporaryDirectory, tokenURI: URL, key: _RSA.Signing.PrivateKey = key) throws -> String {
        let json: JSONValue = [
            "type": "service_account",
            "project_id": "payments-prod",
            "private_key_id": .string(keyID),
            "private_key": .string(key.pkcs8PEMRepresentation),
            "client_email": .string(clientEmail),
            "client_id": "109876543210987654321",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": .string(tokenURI.absoluteString),
        ]
        return try directory.write("gcp-key.json", json.serialized()).path
    }
}
