import Foundation

/// A plain-text table with left-aligned columns and an ellipsis for cells longer than `maxWidth`.
/// Widths count characters (grapheme clusters); a cell of plain ASCII is measured by its byte
/// count, so a table of thousands of rows (`parapet replay --format table`) renders in one pass
/// over each cell's bytes.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    var maxWidth = 48

    init(_ headers: [String]) { self.headers = headers }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        var widths = Array(repeating: 0, count: headers.count)
        let cells = ([headers] + rows).map { row in
            row.enumerated().map { i, text -> (text: String, width: Int) in
                let cell = clip(text)
                if i < widths.count { widths[i] = max(widths[i], cell.width) }
                return cell
            }
        }
        var out = ""
        out.reserveCapacity(cells.count * (widths.reduce(0, +) + 2 * widths.count + 1))
        for (index, row) in cells.enumerated() {
            if index > 0 { out += "\n" }
            for (i, cell) in row.enumerated() {
                if i > 0 { out += "  " }
                out += cell.text
                if i < row.count - 1, i < widths.count, cell.width < widths[i] {
                    out += String(repeating: " ", count: widths[i] - cell.width)
                }
            }
            if index == 0 { out += "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") }
        }
        return out
    }

    /// The cell as shown (newlines as spaces, cut to `maxWidth` with an ellipsis) and its width.
    private func clip(_ text: String) -> (text: String, width: Int) {
        let flat = text.utf8.contains(UInt8(ascii: "\n")) ? text.replacingOccurrences(of: "\n", with: " ") : text
        let width = TextTable.width(of: flat)
        guard width > maxWidth else { return (flat, width) }
        return (String(flat.prefix(maxWidth - 1)) + "…", maxWidth)
    }

    /// The number of characters in `text`: its byte count when it is ASCII without a carriage
    /// return (a CR LF pair is one character).
    static func width(of text: String) -> Int {
        text.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D } ? text.utf8.count : text.count
    }
}

/// RFC 4180 CSV.
enum CSV {
    static func line(_ fields: [String]) -> String {
        fields.map { field in
            if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return field
        }.joined(separator: ",")
    }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
