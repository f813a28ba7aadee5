import Foundation
import ParapetCore

/// `Notification` means Parapet's (Foundation has one too, and both are imported here).
typealias Notification = ParapetCore.Notification
