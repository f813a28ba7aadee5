import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

@Suite("Lint diagnostics")
struct LintDiagnosticsTests {
    /// 2026-01-01T00:00:00Z
    let now = Date(timeIntervalSince1970: 1_767_225_600)

    func load(_ name: String) -> PolicyLoadResult {
        PolicyLoader(now: now).load(paths: [TestPaths.fixture("lint/" + name)])
    }

    func summary(_ result: PolicyLoadResult) -> [String] {
        result.diagnostics.map { "\($0.line):\($0.column): \($0.severity.rawValue): \($0.message)" }
    }

    @Test("every problem of a broken file is reported with its line and column, with hints")
    func brokenFile() throws {
        let result = load("broken.yml")
        let lines = summary(result)
        #expect(lines == [
            "3:8: error: unknown level 'hihg'",
            "9:19: error: unknown modifier 'startwith'",
            "10:31: error: '10.0.0.300/8' is not a CIDR network",
            "11:23: error: invalid regular expression '(unclosed'",
            "14:34: error: the condition names 'filtr', which is not a search identifier of this detection",
            "17:5: error: unknown key 'remedation' under 'parapet'",
            "21:20: error: cannot read the date '2024-13-45'",
        ])
        let hints = result.diagnostics.map(\.hint)
        #expect(hints[0] == "did you mean 'high'?")
        #expect(hints[1] == "did you mean 'startswith'?")
        #expect(hints[4] == "did you mean 'filter'?")
        #expect(hints[5] == "did you mean 'remediation'?")
        #expect(result.hasErrors)
        #expect(result.policySet.policies.isEmpty)
        let file = TestPaths.fixture("lint/broken.yml")
        #expect(result.diagnostics[1].rendered == "\(file):9:19: error: unknown modifier 'startwith' — did you mean 'startswith'?")
    }

    @Test("warnings: missing level, single-value all, unused selection, expired and expiring exceptions")
    func warningsOnly() {
        let result = load("warnings.yml")
        #expect(summary(result) == [
            "1:1: warning: the rule has no 'level'; it is treated as medium",
            "6:9: warning: 'all' with a single value has no effect",
            "7:5: warning: search identifier 'unused' is never used in the condition",
            "12:70: warning: exception expired on 2025-12-01 and no longer applies",
            "13:71: warning: exception expires on 2026-01-10, within 14 days",
        ])
        #expect(!result.hasErrors)
        #expect(result.policySet.policies.first?.severity == .medium)
    }

    @Test("a YAML syntax error is an error with its place, and other files still load")
    func syntaxError() throws {
        let result = PolicyLoader(now: now).load(paths: [TestPaths.fixture("lint/syntax.yml"), TestPaths.fixture("lint/warnings.yml")])
        let first = try #require(result.diagnostics.first)
        #expect(first.file.hasSuffix("syntax.yml"))
        #expect(first.severity == .error)
        #expect(first.message.hasPrefix("YAML syntax error"))
        #expect(first.line == 5 && first.column == 10, "\(first.rendered)")
        #expect(result.policySet.policy(id: "lint-warnings") != nil)
    }

    @Test("unknown logsource, unknown scope key, missing fixture and bad expectation are all reported")
    func logsourceAndGovernance() {
        let result = load("logsource.yml")
        #expect(summary(result).map { String($0.prefix(while: { $0 != " " })) + " " + $0.split(separator: " ").dropFirst(2).prefix(3).joined(separator: " ") } == [
            "5:5: unsupported logsource (product:",
            "12:14: unknown key 'acounts'",
            "14:29: cannot read the",
            "14:51: 'expect' must be",
        ])
        #expect(result.diagnostics.allSatisfy { $0.severity == .error })
    }

    @Test("duplicate ids across files are errors pointing at the first definition; other documents load")
    func duplicates() throws {
        let result = PolicyLoader(now: now).load(paths: [TestPaths.fixture("lint")])
        let duplicate = try #require(result.diagnostics.first { $0.message.contains("duplicate policy id") })
        #expect(duplicate.file.hasSuffix("zz-duplicate.yml"))
        #expect(duplicate.line == 1 && duplicate.column == 1)
        #expect(duplicate.hint?.contains("warnings.yml:1") == true)
        #expect(result.policySet.policy(id: "lint-second-document") != nil)
        #expect(result.policySet.policy(id: "lint-warnings")?.file.hasSuffix("warnings.yml") == true)
    }

    @Test("a missing path is an error, not a crash")
    func missingPath() {
        let result = PolicyLoader().load(paths: ["/nonexistent/policies"])
        #expect(result.hasErrors)
        #expect(result.diagnostics.first?.rendered == "/nonexistent/policies:0:0: error: no such file or directory — check the policy path")
    }

    @Test("type errors in rules name the place and what was expected")
    func typeErrors() {
        let text = """
            title: [not, text]
            id: types
            level: low
            logsource: { product: aws, service: cloudtrail }
            detection:
                selection:
                    eventName: { nested: map }
                    eventSource: []
                empty_map: {}
                condition: selection | count() > 5
            parapet:
                controls: { a: b }
                resolves_on: 42
            """
        let lines = diagnostics(of: text).map { "\($0.line):\($0.column): \($0.message)" }
        #expect(lines.count == 7, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("1:8: 'title' must be text") })
        #expect(lines.contains { $0.hasPrefix("7:20: the value of 'eventName' is a map") })
        #expect(lines.contains { $0.hasPrefix("8:22: 'eventSource' has an empty list") })
        #expect(lines.contains { $0.hasPrefix("9:16: search identifier 'empty_map' is an empty map") })
        #expect(lines.contains { $0.hasPrefix("10:26: cannot parse condition: aggregations") })
        #expect(lines.contains { $0.hasPrefix("12:15: 'parapet.controls' must be a list") })
        #expect(lines.contains { $0.hasPrefix("13:18: search identifier 'resolves_on'") || $0.hasPrefix("13:18:") })
    }
}
