import Foundation

/// An `NSRegularExpression` compiled once at load time and shared by every evaluating task
/// (matching with a compiled expression is thread-safe).
final class CompiledRegex: @unchecked Sendable, Hashable {
    let pattern: String
    private let expression: NSRegularExpression

    init(pattern: String, options: NSRegularExpression.Options) throws {
        self.pattern = pattern
        expression = try NSRegularExpression(pattern: pattern, options: options)
    }

    /// Searches `text` (the expression is not anchored unless it says so).
    func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }

    static func == (lhs: CompiledRegex, rhs: CompiledRegex) -> Bool { lhs === rhs }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
