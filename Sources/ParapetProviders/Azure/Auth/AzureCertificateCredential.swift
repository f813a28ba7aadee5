import Crypto
import Foundation
import ParapetCore
import _CryptoExtras

/// A certificate credential: one PEM file with the X.509 certificate and its RSA private key.
/// Signs the client assertion (RS256, header `x5t` = base64url SHA-1 of the certificate's DER).
struct AzureCertificateCredential: Sendable {
    var file: String
    /// base64url SHA-1 thumbprint of the certificate DER.
    var thumbprint: String
    let privateKey: _RSA.Signing.PrivateKey

    static func load(path: String) throws -> AzureCertificateCredential {
        let text: String
        do {
            text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        } catch {
            throw failure(path, "cannot be read (\((error as NSError).localizedDescription))")
        }
        return try parse(text, file: path)
    }

    static func parse(_ text: String, file: String) throws -> AzureCertificateCredential {
        let blocks = PEMBlock.all(in: text)
        guard let certificate = blocks.first(where: { $0.label == "CERTIFICATE" }) else {
            throw failure(file, "has no '-----BEGIN CERTIFICATE-----' block; put the certificate and its private key in one PEM file")
        }
        guard let der = Data(base64Encoded: certificate.base64, options: .ignoreUnknownCharacters), !der.isEmpty else {
            throw failure(file, "has a CERTIFICATE block that is not base64")
        }
        if blocks.contains(where: { $0.label == "ENCRYPTED PRIVATE KEY" }) {
            throw failure(file, "holds an encrypted private key; store it unencrypted in a file only the parapet user may read")
        }
        guard let keyBlock = blocks.first(where: { $0.label == "PRIVATE KEY" || $0.label == "RSA PRIVATE KEY" }) else {
            throw failure(file, "has no private key block ('PRIVATE KEY' or 'RSA PRIVATE KEY')")
        }
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: keyBlock.text)
        } catch {
            throw failure(file, "has a private key that is not an RSA key of 2048 bits or more")
        }
        let thumbprint = OAuthJWT.base64URL(Data(Insecure.SHA1.hash(data: der)))
        return AzureCertificateCredential(file: file, thumbprint: thumbprint, privateKey: key)
    }

    /// The client assertion for `tokenEndpoint`: `aud` the endpoint, `iss` = `sub` = client id,
    /// a fresh `jti`, valid for ten minutes.
    func assertion(clientID: String, tokenEndpoint: URL, now: Date) throws -> String {
        let issued = Int64(now.timeIntervalSince1970)
        let claims: JSONObject = [
            "aud": .string(tokenEndpoint.absoluteString), "iss": .string(clientID), "sub": .string(clientID),
            "jti": .string(UUID().uuidString.lowercased()), "nbf": .number(Double(issued)), "iat": .number(Double(issued)),
            "exp": .number(Double(issued + 600)),
        ]
        do {
            return try OAuthJWT.sign(claims: claims, extraHeader: ["x5t": .string(thumbprint)], key: privateKey)
        } catch {
            throw Self.failure(file, "has a private key that cannot sign (\(error))")
        }
    }

    static func failure(_ file: String, _ message: String) -> CloudSourceError {
        CloudSourceError(.credentials, subject: "azure credentials", message: "certificate file \(file) \(message)")
    }
}

/// A `-----BEGIN X-----` … `-----END X-----` block of a PEM file.
struct PEMBlock: Sendable, Hashable {
    var label: String
    /// The whole block, markers included.
    var text: String
    /// The base64 between the markers.
    var base64: String

    static func all(in text: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var lines: [Substring] = []
        var body: [Substring] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if label == nil, trimmed.hasPrefix("-----BEGIN "), trimmed.hasSuffix("-----") {
                label = String(trimmed.dropFirst(11).dropLast(5))
                lines = [Substring(trimmed)]
                body = []
            } else if let current = label {
                lines.append(Substring(trimmed))
                if trimmed == "-----END \(current)-----" {
                    blocks.append(PEMBlock(label: current, text: lines.joined(separator: "\n") + "\n", base64: body.joined()))
                    label = nil
                } else if !trimmed.contains(":") {
                    body.append(Substring(trimmed))
                }
            }
        }
        return blocks
    }
}
