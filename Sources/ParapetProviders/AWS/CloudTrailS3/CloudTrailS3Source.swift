import Foundation
import ParapetCore

/// An organisation trail (or a single account's trail) in an S3 bucket, Control Tower layout.
/// Each poll lists every `ACCOUNT/REGION` folder after its remembered position and reads at
/// most `maxObjectsPerPoll` new log files; events are attributed to their `recipientAccountId`.
public struct CloudTrailS3Source: ActivitySource {
    /// `sources: [{type: cloudtrail-s3, …}]`.
    public struct Configuration: Sendable, Hashable {
        public var bucket: String
        /// Key prefix before `AWSLogs/` (Control Tower: the organisation id).
        public var prefix: String?
        /// `o-…` for an organisation trail; nil for an account trail (`AWSLogs/ACCOUNT/…`).
        public var organizationID: String?
        /// The bucket's region.
        public var region: String
        /// Accounts to read; nil: every account folder in the bucket.
        public var accounts: [String]?
        /// Regions to read; nil: every region folder of each account.
        public var regions: [String]?
        /// How far back the first poll of a folder reads (by the time in the file names). Default 24 hours.
        public var backfill: TimeInterval
        /// Late files: how far before the last file read each listing starts again. Default 20 minutes.
        public var overlap: TimeInterval
        /// Log files read per poll at most (the page size).
        public var maxObjectsPerPoll: Int

        public init(bucket: String, prefix: String? = nil, organizationID: String? = nil, region: String = "us-east-1",
                    accounts: [String]? = nil, regions: [String]? = nil, backfill: TimeInterval = 24 * 3600,
                    overlap: TimeInterval = 20 * 60, maxObjectsPerPoll: Int = 100) {
            self.bucket = bucket
            self.prefix = prefix
            self.organizationID = organizationID
            self.region = region
            self.accounts = accounts
            self.regions = regions
            self.backfill = max(0, backfill)
            self.overlap = max(0, overlap)
            self.maxObjectsPerPoll = max(1, maxObjectsPerPoll)
        }
    }

    public let configuration: Configuration
    public let id: String
    public var provider: Provider { .aws }
    let s3: S3Client
    let layout: CloudTrailLogKey
    let decompress: @Sendable (Data) throws -> Data
    let now: @Sendable () -> Date

    /// `decompress` inflates gzip data (the daemon passes the shared gzip decoder).
    public init(configuration: Configuration, client: AWSClient, decompress: @escaping @Sendable (Data) throws -> Data,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.layout = CloudTrailLogKey(prefix: configuration.prefix, organizationID: configuration.organizationID)
        // Sources scoped to some accounts of one bucket need ids (and cursors) of their own.
        let scope = configuration.accounts.map { $0.sorted().joined(separator: "+") + "/" } ?? ""
        self.id = "aws/s3/\(configuration.bucket)/\(layout.accountsFolder)\(scope)cloudtrail"
        self.s3 = S3Client(client: client, region: configuration.region)
        self.decompress = decompress
        self.now = now
    }

    /// At most `maxObjectsPerPoll` new log files, normalised (records that do not normalise are quarantined).
    public func poll(after cursor: Cursor?) async throws -> ActivityPage {
        try await read(after: cursor).page(sourceID: id)
    }

    /// The new log files after `cursor`, as raw records.
    public func read(after cursor: Cursor?) async throws -> CloudTrailBatch {
        var state = try CloudTrailS3Cursor(cursor, sourceID: id)
        var batch = CloudTrailBatch(cursor: nil)
        var budget = configuration.maxObjectsPerPoll
        for (account, region) in try await folders() {
            if budget == 0 { batch.hasMore = true; break }
            let name = "\(account)/\(region)"
            var folder = state.folders[name] ?? .init(last: nil, recent: [])
            let floor = self.floor(after: folder.last, account: account, region: region)
            var seen = Set(folder.recent)
            var token: String?
            listing: repeat {
                let page = try await s3.list(bucket: configuration.bucket, prefix: layout.folder(account: account, region: region),
                                             startAfter: token == nil ? floor : nil, continuationToken: token)
                for key in page.keys where key > floor && CloudTrailLogKey.isLogFile(key) && !seen.contains(key) {
                    if budget == 0 { batch.hasMore = true; break listing }
                    try await readObject(key, account: account, into: &batch)
                    seen.insert(key)
                    if folder.last.map({ key > $0 }) ?? true { folder.last = key }
                    budget -= 1
                }
                token = page.nextContinuationToken
            } while token != nil
            let newFloor = self.floor(after: folder.last, account: account, region: region)
            folder.recent = seen.filter { $0 > newFloor }.sorted()
            state.folders[name] = folder
        }
        batch.cursor = state.cursor
        return batch
    }

    /// Keys after this one are listed: the overlap before the last file read, or the backfill horizon.
    func floor(after last: String?, account: String, region: String) -> String {
        guard let last else {
            return layout.keyFloor(account: account, region: region, date: now().addingTimeInterval(-configuration.backfill))
        }
        guard let delivered = CloudTrailLogKey.deliveryTime(ofKey: last) else { return last }
        return layout.keyFloor(account: account, region: region, date: delivered.addingTimeInterval(-configuration.overlap))
    }

    /// The `(account, region)` folders to read, sorted.
    func folders() async throws -> [(String, String)] {
        var accounts = configuration.accounts ?? []
        if configuration.accounts == nil {
            accounts = try await s3.folders(bucket: configuration.bucket, prefix: layout.accountsFolder)
                .map(Self.lastComponent).filter { $0.count == 12 && $0.allSatisfy(\.isNumber) }
        }
        var result: [(String, String)] = []
        for account in accounts.sorted() {
            var regions = configuration.regions ?? []
            if configuration.regions == nil {
                regions = try await s3.folders(bucket: configuration.bucket, prefix: layout.regionsFolder(account: account))
                    .map(Self.lastComponent)
            }
            result += regions.sorted().map { (account, $0) }
        }
        return result
    }

    static func lastComponent(_ folder: String) -> String {
        folder.split(separator: "/").last.map(String.init) ?? folder
    }
}
