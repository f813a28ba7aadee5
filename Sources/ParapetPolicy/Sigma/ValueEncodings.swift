import Foundation

/// The transforming modifiers: `windash`, the UTF-16 encodings, `base64` and `base64offset`.
enum ValueEncodings {
    /// Characters `windash` treats as interchangeable.
    static let dashes: [Character] = ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"]
    static let maximumVariants = 4096

    /// Every permutation of dash characters in the text parts of `value`; nil if too many.
    static func windash(_ value: SigmaString) -> [SigmaString]? {
        var variants: [[SigmaString.Token]] = [[]]
        for token in value.tokens {
            guard case .text(let text) = token else {
                variants = variants.map { $0 + [token] }
                continue
            }
            var texts = [""]
            for character in text {
                if dashes.contains(character) {
                    texts = texts.flatMap { prefix in dashes.map { prefix + String($0) } }
                } else {
                    texts = texts.map { $0 + String(character) }
                }
                if texts.count * variants.count > maximumVariants { return nil }
            }
            variants = variants.flatMap { prefix in texts.map { prefix + [.text($0)] } }
        }
        return variants.map(SigmaString.init(tokens:))
    }

    static func utf16LE(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    static func utf16BE(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// The three shifted encodings of `bytes` as it may appear inside a longer base64 text
    /// (pySigma's algorithm: encode after 0, 1 or 2 leading bytes and cut the unstable ends).
    static func base64Offsets(_ bytes: [UInt8]) -> [String] {
        let startOffsets = [0, 2, 3]
        let endOffsets = [0, -3, -2]
        return (0..<3).map { shift in
            let encoded = Array(base64([UInt8](repeating: 0x20, count: shift) + bytes))
            let end = endOffsets[(bytes.count + shift) % 3]
            let upper = encoded.count + end
            let lower = startOffsets[shift]
            guard upper > lower else { return "" }
            return String(encoded[lower..<upper])
        }.filter { !$0.isEmpty }
    }

    /// Replaces `%name%` placeholders with each configured value (`\%` is a plain percent).
    /// Returns nil and the missing name when a placeholder has no values.
    static func expand(_ raw: String, with expansions: [String: [String]]) -> (values: [String], missing: String?) {
        var results = [""]
        var scalars = Array(raw.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\\", scalars.first == "%" {
                scalars.removeFirst()
                results = results.map { $0 + "%" }
                continue
            }
            if scalar == "%", let close = scalars.firstIndex(of: "%") {
                let name = String(String.UnicodeScalarView(scalars[scalars.startIndex..<close]))
                scalars = scalars[scalars.index(after: close)...]
                guard let values = expansions[name] ?? expansions["%\(name)%"], !values.isEmpty else {
                    return ([], name)
                }
                results = results.flatMap { prefix in values.map { prefix + $0 } }
                continue
            }
            results = results.map { $0 + String(scalar) }
        }
        return (results, nil)
    }
}
