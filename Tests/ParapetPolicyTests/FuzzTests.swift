import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

/// A small seeded generator (SplitMix64) so fuzz runs are reproducible.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Fuzzing the condition parser and the policy loader")
struct FuzzTests {
    static let conditionWords = ["selection", "filter", "sel_*", "and", "or", "not", "(", ")", "1", "all", "of",
                                 "them", "|", "count()", ">", "_x", "*", "", "AND", "Not"]

    @Test("random conditions never crash the parser or the resolver")
    func conditions() {
        var random = SeededRandom(state: 42)
        for _ in 0..<3000 {
            let count = Int.random(in: 0..<14, using: &random)
            let text = (0..<count).map { _ in Self.conditionWords.randomElement(using: &random)! }
                .joined(separator: Bool.random(using: &random) ? " " : "")
            if let syntax = try? ConditionParser.parse(text) {
                var log = DiagnosticLog(file: "fuzz")
                var resolver = ConditionResolver(names: ["selection", "filter", "sel_a", "_x"], file: "fuzz")
                _ = resolver.resolve(syntax, base: PolicyLocation(file: "fuzz", line: 1, column: 1), log: &log)
            }
        }
    }

    @Test("random and mutated policy files give diagnostics, never a crash")
    func policies() throws {
        let seeds = try PolicyLoader.policyFiles(under: TestPaths.sigmaRules.path).prefix(40).map {
            try String(contentsOfFile: $0, encoding: .utf8)
        } + [try String(contentsOfFile: TestPaths.fixture("runner/cloudtrail-tamper.yml"), encoding: .utf8)]
        let alphabet = Array("abc:|*?-[]{}'\"\n  #&!%@`\\,.0123456789ytn~")
        var random = SeededRandom(state: 7)
        let loader = PolicyLoader(expansions: ["x": ["1"]])
        var loaded = 0
        for iteration in 0..<2500 {
            var scalars = Array(seeds[iteration % seeds.count])
            for _ in 0..<Int.random(in: 1...6, using: &random) where !scalars.isEmpty {
                let position = Int.random(in: 0..<scalars.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: scalars[position] = alphabet.randomElement(using: &random)!
                case 1: scalars.insert(alphabet.randomElement(using: &random)!, at: position)
                case 2: scalars.remove(at: position)
                default:
                    let end = min(scalars.count, position + Int.random(in: 1...40, using: &random))
                    let chunk = scalars[position..<end]
                    scalars.insert(contentsOf: chunk, at: Int.random(in: 0..<scalars.count, using: &random))
                }
            }
            let result = loader.load(text: String(scalars), file: "fuzz-\(iteration).yml")
            loaded += result.policySet.policies.count
            for diagnostic in result.diagnostics {
                #expect(diagnostic.line >= 0 && diagnostic.column >= 0)
            }
        }
        for _ in 0..<300 {
            let text = String((0..<Int.random(in: 0..<200, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            _ = loader.load(text: text, file: "random.yml")
        }
        #expect(loaded > 0, "some mutations keep the rule valid")
    }
}
