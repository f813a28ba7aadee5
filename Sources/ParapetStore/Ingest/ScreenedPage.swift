import Foundation
import ParapetCore

/// A page screened before its write transaction: a read found which events were stored, and the
/// caller evaluated the others. The transaction trusts neither blindly: it inserts with the same
/// deduplication as an unscreened page, keeps the findings of the events it actually inserts, and
/// evaluates (through `ingest`'s `evaluate`) an event screening found stored that it inserts anyway
/// (retention pruned it meanwhile).
public struct ScreenedPage: Sendable {
    public var page: ActivityPage
    /// One entry per event of `page`: the event's own findings when it was not stored at
    /// screening, nil when it was.
    public var findings: [[Finding]?]

    /// A screened page; `findings` must have one entry per event of `page`.
    public init(page: ActivityPage, findings: [[Finding]?]) {
        precondition(findings.count == page.events.count, "one screening entry per event of the page")
        self.page = page
        self.findings = findings
    }
}
