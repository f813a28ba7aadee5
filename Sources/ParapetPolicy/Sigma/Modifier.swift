/// Sigma value modifiers (specification v2.1 appendix), plus pySigma's long names of the
/// regular-expression flags.
enum Modifier: String, CaseIterable, Sendable {
    case contains, startswith, endswith, all, cased, exists, neq
    case re, i, m, s, ignorecase, multiline, dotall
    case cidr, lt, lte, gt, gte
    case base64, base64offset, utf16le, utf16be, utf16, wide, windash
    case fieldref, expand
    case minute, hour, day, week, month, year

    var isRegexFlag: Bool { [.i, .m, .s, .ignorecase, .multiline, .dotall].contains(self) }
    var isComparison: Bool { [.lt, .lte, .gt, .gte].contains(self) }
    var isTimePart: Bool { [.minute, .hour, .day, .week, .month, .year].contains(self) }
    var isPosition: Bool { [.contains, .startswith, .endswith].contains(self) }
    var isEncoding: Bool { [.base64, .base64offset, .utf16le, .utf16be, .utf16, .wide].contains(self) }
}
