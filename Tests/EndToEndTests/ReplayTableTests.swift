import Foundation
import ParapetTesting
import Testing

/// `parapet replay --format table` prints the matches as a table: a header, a rule of dashes as
/// wide as each column, every cell starting under its header (or empty), cells longer than 48 characters cut
/// with an ellipsis, and the totals (the built binary, on the real sample records).
@Suite(.serialized) struct ReplayTableTests {
    @Test func theTableIsAlignedAndLongCellsAreCut() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let exports = try ReplayJobsTests.exports(in: directory)
        let config = try ReplayJobsTests.configuration(in: directory)
        let run = try await CommandRunner.parapet(["replay", exports.path, "--config", config, "--format", "table", "--jobs", "1"])
        #expect(run.status == 0, "\(run.stderr)")

        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        let header = try #require(lines.first)
        #expect(header.split(separator: " ", omittingEmptySubsequences: true)
            == ["LOCATION", "SEVERITY", "POLICY", "ACCOUNT", "OPERATION", "ACTOR", "EVENT", "ID"])
        let totals = try #require(lines.last)
        #expect(totals.hasSuffix("policies") && totals.contains("matches"))
        let rows = Array(lines.dropFirst(2).dropLast())
        #expect(rows.count > 50)

        // The rule under the header: one run of dashes per column, two spaces between.
        let rule = lines[1].split(separator: "  ").map(\.count)
        #expect(rule.count == 7)
        #expect(lines[1].allSatisfy { $0 == "-" || $0 == " " })
        var starts: [Int] = []
        var offset = 0
        for width in rule {
            starts.append(offset)
            offset += width + 2
        }
        for (i, name) in ["LOCATION", "SEVERITY", "POLICY", "ACCOUNT", "OPERATION", "ACTOR", "EVENT ID"].enumerated() {
            #expect(Array(header)[starts[i]...].starts(with: name), "header column \(name) is not above its rule")
        }

        // Every row: each cell starts at its column, after two spaces; no cell is wider than its
        // column or than 48 characters, and the widest cell of each column is as wide as its rule.
        var widest = Array(repeating: 0, count: rule.count)
        var cut = 0
        for row in rows {
            let characters = Array(row)
            for i in 0..<rule.count {
                guard starts[i] < characters.count else {
                    Issue.record("row too short for column \(i): \(row)")
                    break
                }
                if i > 0 { #expect(characters[starts[i] - 2] == " " && characters[starts[i] - 1] == " ", "\(row)") }
                let end = i + 1 < rule.count ? min(starts[i + 1] - 2, characters.count) : characters.count
                let cell = String(characters[starts[i]..<end]).replacingOccurrences(of: " +$", with: "", options: .regularExpression)
                // A cell may be empty (an event without an actor name); one with text starts here.
                #expect(cell.isEmpty || characters[starts[i]] != " ", "column \(i) does not start at \(starts[i]): \(row)")
                #expect(cell.count <= 48 && (i + 1 == rule.count || cell.count <= rule[i]), "\(row)")
                widest[i] = max(widest[i], cell.count)
                if cell.hasSuffix("…") {
                    cut += 1
                    #expect(cell.count == 48, "a cut cell is 48 characters: \(cell)")
                }
            }
        }
        #expect(widest == rule)
        // The locations of these exports (long temporary paths) are cut.
        #expect(cut > 0)
    }
}
