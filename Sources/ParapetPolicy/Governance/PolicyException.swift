import Foundation
import ParapetCore

/// An accepted deviation (`parapet.exceptions[]`): events matching `match` are suppressed, not
/// alerted, until the end of the `expires` day (UTC).
public struct PolicyException: Sendable {
    public var reason: String
    public var owner: String?
    public var ticket: String?
    /// The last day the exception applies (it stops at the following midnight UTC).
    public var expires: Date
    /// Where the exception is written.
    public var location: PolicyLocation
    let match: Selection

    /// True until the end of the `expires` day.
    public func isActive(at now: Date) -> Bool {
        now < expires.addingTimeInterval(86400)
    }

    func matches(_ fields: EventFields) -> Bool {
        match.matches(fields)
    }
}
