import ParapetCore
import Testing
@testable import ParapetPolicy

@Suite("Sigma conditions")
struct ConditionTests {
    let detection = """
        selection_a:
            a: 1
        selection_b:
            b: 1
        filter_main_x:
            x: 1
        filter_optional_y:
            y: 1
        _hidden:
            h: 1
        """

    func rule(_ condition: String) throws -> RuleHarness {
        try RuleHarness(detection: detection + "\ncondition: \(condition)")
    }

    func doc(_ keys: String...) -> JSONValue {
        .object(JSONObject(uniquing: keys.map { ($0, JSONValue.number(1)) }))
    }

    @Test("and, or, not and parentheses with Sigma precedence")
    func booleans() throws {
        let r = try rule("selection_a or selection_b and not filter_main_x")
        #expect(r.matches(doc("a", "x")))
        #expect(r.matches(doc("b")))
        #expect(!r.matches(doc("b", "x")))
        let p = try rule("(selection_a or selection_b) and not filter_main_x")
        #expect(!p.matches(doc("a", "x")))
        let n = try rule("not not selection_a")
        #expect(n.matches(doc("a")))
        let upper = try rule("selection_a AND NOT filter_main_x")
        #expect(upper.matches(doc("a")))
        #expect(!upper.matches(doc("a", "x")))
    }

    @Test("1 of and all of a pattern")
    func ofPatterns() throws {
        let one = try rule("1 of selection_* and not 1 of filter*")
        #expect(one.matches(doc("b")))
        #expect(!one.matches(doc("b", "y")))
        #expect(!one.matches(doc("h")))
        let all = try rule("all of selection_*")
        #expect(all.matches(doc("a", "b")))
        #expect(!all.matches(doc("a")))
    }

    @Test("1 of them and all of them leave out identifiers starting with _")
    func them() throws {
        let one = try rule("1 of them")
        #expect(one.matches(doc("y")))
        #expect(!one.matches(doc("h")))
        let all = try rule("all of them")
        #expect(all.matches(doc("a", "b", "x", "y")))
        #expect(!all.matches(doc("a", "b", "x")))
    }

    @Test("a list of conditions is their OR")
    func conditionList() throws {
        let r = try RuleHarness(detection: detection + "\ncondition:\n    - selection_a and selection_b\n    - filter_main_x")
        #expect(r.matches(doc("a", "b")))
        #expect(r.matches(doc("x")))
        #expect(!r.matches(doc("a")))
    }

    @Test("the parser reports the offset of a syntax error")
    func syntaxErrors() {
        let cases: [(String, Int)] = [
            ("selection and", 13), ("(selection", 10), ("selection)", 9), ("and selection", 0),
            ("1 of", 4), ("3 of them", 0), ("", 0), ("selection selection", 10), ("not", 3),
        ]
        for (text, offset) in cases {
            #expect(throws: ConditionParser.SyntaxError.self, "\(text)") { try ConditionParser.parse(text) }
            do {
                _ = try ConditionParser.parse(text)
            } catch {
                #expect(error.offset == offset, "'\(text)': \(error.message)")
            }
        }
    }

    @Test("deep nesting is refused instead of overflowing the stack")
    func depth() {
        let deep = String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
        #expect(throws: ConditionParser.SyntaxError.self) { try ConditionParser.parse(deep) }
        let nots = String(repeating: "not ", count: 10_000) + "a"
        #expect(throws: ConditionParser.SyntaxError.self) { try ConditionParser.parse(nots) }
    }
}
