/// A literal that every match of a regular expression must contain, found conservatively, so
/// that most events are rejected by a substring test before the expression runs.
enum RegexPrefilter {
    /// The longest run (≥ 3 characters) of plain characters outside groups and classes, or nil
    /// when the expression has alternation or no such run.
    static func requiredLiteral(of pattern: String) -> String? {
        if pattern.contains("|") || pattern.contains("(?") { return nil }
        var runs: [String] = []
        var current = ""
        var depth = 0
        var inClass = false
        var characters = Array(pattern)[...]
        func endRun() {
            if current.count >= 3 { runs.append(current) }
            current = ""
        }
        while let c = characters.popFirst() {
            if inClass {
                if c == "\\" { _ = characters.popFirst() } else if c == "]" { inClass = false }
                continue
            }
            switch c {
            case "\\":
                guard let next = characters.popFirst() else { endRun(); continue }
                if next.isLetter || next.isNumber {
                    // \d, \w, \s, \b are classes and anchors; anything else (\x41, \u, \p{…}, \1, \Q) gives up.
                    guard "dDwWsSbBAzZG".contains(next) else { return nil }
                    endRun()
                } else if depth == 0 {
                    current.append(next)
                }
            case "[":
                endRun(); inClass = true
            case "(":
                endRun(); depth += 1
            case ")":
                endRun(); depth = max(0, depth - 1)
            case "*", "?", "{":
                if !current.isEmpty { current.removeLast() }  // the previous character may be absent
                endRun()
                if c == "{" { while let n = characters.popFirst(), n != "}" {} }
            case "+", ".", "^", "$":
                endRun()
            default:
                if depth == 0 { current.append(c) } else { endRun() }
            }
        }
        endRun()
        return runs.max { $0.count < $1.count }
    }
}
