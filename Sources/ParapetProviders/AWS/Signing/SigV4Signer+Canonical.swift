import Foundation

extension SigV4Signer {
    /// Task 1 of SigV4: method, canonical URI, canonical query, canonical headers, signed
    /// headers and payload hash, one per line.
    public func canonicalRequest(_ input: Input) -> CanonicalRequest {
        let headers = Self.canonicalHeaders(input.headers)
        let signedHeaders = headers.map(\.name).joined(separator: ";")
        let text = [
            input.method.uppercased(),
            canonicalURI(input.path),
            Self.canonicalQuery(input.query),
            headers.map { "\($0.name):\($0.value)\n" }.joined(),
            signedHeaders,
            input.payloadHash,
        ].joined(separator: "\n")
        return CanonicalRequest(text: text, signedHeaders: signedHeaders)
    }

    /// S3: each segment decoded and encoded once, nothing normalised. Other services: dot
    /// segments and repeated slashes removed, then each segment encoded (again).
    func canonicalURI(_ path: String) -> String {
        if path.isEmpty { return "/" }
        if isS3 {
            return path.split(separator: "/", omittingEmptySubsequences: false)
                .map { AWSURIEncoding.encode(AWSURIEncoding.decode(String($0))) }
                .joined(separator: "/")
        }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        var uri = "/" + segments.map { AWSURIEncoding.encode(String($0)) }.joined(separator: "/")
        let endsAsDirectory = path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..")
        if endsAsDirectory && uri != "/" { uri += "/" }
        return uri
    }

    /// Parameters decoded, encoded with SigV4's rules, sorted by key then value.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = AWSURIEncoding.encode(AWSURIEncoding.decode(String(parts[0])))
            let value = parts.count > 1 ? AWSURIEncoding.encode(AWSURIEncoding.decode(String(parts[1]))) : ""
            pairs.append((key, value))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Lower-case names, sorted; values trimmed with inner runs of spaces collapsed; repeated
    /// headers joined with commas in the order given.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased().trimmingCharacters(in: .whitespaces)
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(normalizeValue(header.value))
        }
        return order.sorted().map { ($0, values[$0]!.joined(separator: ",")) }
    }

    static func normalizeValue(_ value: String) -> String {
        var out = ""
        var lastWasSpace = false
        for character in value.trimmingCharacters(in: .whitespacesAndNewlines) {
            let isSpace = character == " " || character == "\t" || character.isNewline
            if isSpace {
                if !lastWasSpace { out.append(" ") }
            } else {
                out.append(character)
            }
            lastWasSpace = isSpace
        }
        return out
    }
}
