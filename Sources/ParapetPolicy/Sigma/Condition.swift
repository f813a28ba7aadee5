/// A parsed Sigma condition, before its identifiers are resolved.
indirect enum ConditionSyntax: Equatable, Sendable {
    case identifier(String, offset: Int)
    /// `1 of pattern` (`them` is the pattern `them`).
    case oneOf(String, offset: Int)
    case allOf(String, offset: Int)
    case and(ConditionSyntax, ConditionSyntax)
    case or(ConditionSyntax, ConditionSyntax)
    case not(ConditionSyntax)
}

/// A compiled condition over selection indices.
indirect enum ConditionNode: Sendable, Hashable {
    case selection(Int)
    case and([ConditionNode])
    case or([ConditionNode])
    case not(ConditionNode)
}
