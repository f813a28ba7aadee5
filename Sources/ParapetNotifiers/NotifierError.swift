/// Why a notifier could not be set up: a secret file that cannot be used, a log file that cannot
/// be opened, routes that contradict each other. Delivery failures are `DeliveryResult`s, not errors.
public struct NotifierError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Code: String, Sendable, Hashable {
        case secretUnreadable, secretEmpty, secretInvalid, logUnwritable, duplicateRoute, invalidRoute
    }

    public var code: Code
    /// The file, route or setting the error is about (never a secret's content).
    public var subject: String
    /// What went wrong and, where useful, what to do.
    public var detail: String

    public init(code: Code, subject: String, detail: String) {
        self.code = code
        self.subject = subject
        self.detail = detail
    }

    public var description: String {
        switch code {
        case .secretUnreadable, .secretEmpty, .secretInvalid:
            "cannot read webhook secret \(subject): \(detail)"
        case .logUnwritable:
            "cannot write violation log \(subject): \(detail)"
        case .duplicateRoute, .invalidRoute:
            "invalid delivery route '\(subject)': \(detail)"
        }
    }
}
