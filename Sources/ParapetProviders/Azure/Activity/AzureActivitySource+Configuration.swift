import Foundation

extension AzureActivitySource {
    /// One subscription's Activity Log.
    public struct Configuration: Sendable, Hashable {
        /// The subscription id; the source id is `azure/SUBSCRIPTION/activity`.
        public var subscription: String
        /// How far behind the cursor each new window starts again: events become queryable at
        /// their `submissionTimestamp`, minutes after `eventTimestamp`.
        public var overlap: TimeInterval
        /// How far back the first poll reads (the Activity Log keeps 90 days).
        public var backfill: TimeInterval
        /// Pages (`nextLink`s) per poll at most.
        public var maxPagesPerPoll: Int
        /// Below this many remaining subscription reads (`x-ms-ratelimit-remaining-subscription-reads`)
        /// the poll stops paging and does not ask to be polled again at once.
        public var minRemainingReads: Int
        /// The per-subscription request budget (`azure/SUBSCRIPTION` bucket).
        public var requestsPerSecond: Double
        public var burst: Double

        public init(subscription: String, overlap: TimeInterval = 900, backfill: TimeInterval = 86_400, maxPagesPerPoll: Int = 5,
                    minRemainingReads: Int = 100, requestsPerSecond: Double = 2, burst: Double = 10) {
            self.subscription = subscription
            self.overlap = overlap
            self.backfill = backfill
            self.maxPagesPerPoll = max(1, maxPagesPerPoll)
            self.minRemainingReads = minRemainingReads
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }
    }
}
