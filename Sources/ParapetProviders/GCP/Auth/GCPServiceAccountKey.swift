import Foundation
import ParapetCore
import _CryptoExtras

/// A Google service-account key file, read and checked field by field. Errors name the file and
/// the field, never the key.
public struct GCPServiceAccountKey: Sendable {
    public var file: String
    public var clientEmail: String
    public var privateKeyID: String?
    public var tokenURI: URL
    public var projectID: String?
    let privateKey: _RSA.Signing.PrivateKey

    /// Reads and validates the key file at `path`.
    public static func load(path: String) throws -> GCPServiceAccountKey {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw failure(path, "cannot be read (\((error as NSError).localizedDescription)); check the path and that the parapet user may read it")
        }
        return try parse(data, file: path)
    }

    /// Parses the contents of a key file; `file` is only used in messages.
    public static func parse(_ data: Data, file: String) throws -> GCPServiceAccountKey {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: data)
        } catch {
            throw failure(file, "is not JSON (\(error)); download a JSON key for the service account")
        }
        guard json.objectValue != nil else { throw failure(file, "is not a JSON object") }
        if let type = json["type"]?.stringValue, type != "service_account" {
            throw failure(file, "field 'type' is '\(type)'; Parapet needs a service-account key (type service_account)")
        }
        func field(_ name: String) throws -> String {
            guard let value = json[name] else { throw failure(file, "field '\(name)' is missing") }
            guard let text = value.stringValue, !text.isEmpty else { throw failure(file, "field '\(name)' must be a non-empty string") }
            return text
        }
        let email = try field("client_email")
        let pem = try field("private_key")
        let tokenText = try field("token_uri")
        guard let tokenURI = URL(string: tokenText), let scheme = tokenURI.scheme?.lowercased(), tokenURI.host != nil else {
            throw failure(file, "field 'token_uri' is not a URL")
        }
        guard scheme == "https" || (scheme == "http" && isLoopback(tokenURI.host)) else {
            throw failure(file, "field 'token_uri' must be an https URL (it receives the signed assertion)")
        }
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw failure(file, "field 'private_key' is not a PEM RSA private key of 2048 bits or more")
        }
        return GCPServiceAccountKey(file: file, clientEmail: email, privateKeyID: json["private_key_id"]?.stringValue,
                                    tokenURI: tokenURI, projectID: json["project_id"]?.stringValue, privateKey: key)
    }

    static func failure(_ file: String, _ message: String) -> CloudSourceError {
        CloudSourceError(.credentials, subject: "gcp credentials", message: "key file \(file) \(message)")
    }

    static func isLoopback(_ host: String?) -> Bool {
        guard let host = host?.lowercased() else { return false }
        return host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "[::1]"
    }
}
