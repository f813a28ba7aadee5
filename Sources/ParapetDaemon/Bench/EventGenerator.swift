import Foundation
import ParapetCore
import ParapetPolicy
import ParapetProviders

/// Generates realistic activity records, deterministically from a seed: real sample records of
/// the three feeds (only those that normalise) with fresh ids, times and accounts. Most events
/// are benign read-only calls; a small share (`matchShare`) comes from samples that some policy
/// flags, so the evaluation and violation paths see a realistic load.
public struct EventGenerator: Sendable {
    public struct Configuration: Sendable {
        /// The folder holding `aws/`, `gcp/` and `azure/` samples (`../shared/samples`).
        public var samples: String
        /// Sample files (JSON lines) relative to `samples`.
        public var sampleFiles: [String] = ["aws/cloudtrail-records.jsonl", "gcp/audit-entries.jsonl", "azure/activity-events.jsonl"]
        /// The policies that decide which samples match (SigmaHQ rules and the built-in packs).
        public var policySet: PolicySet
        /// The share of events drawn from samples that match a policy.
        public var matchShare: Double = 0.02
        /// The share of events drawn from benign samples that change something (not read-only).
        public var writeShare: Double = 0.15
        /// The share of AWS, GCP and Azure events (the rest is Azure).
        public var awsShare: Double = 0.6
        public var gcpShare: Double = 0.25
        /// The time of the first event (milliseconds since 1970) and the mean gap between events.
        public var startMillis: Int64 = 1_772_323_200_000  // 2026-03-01T00:00:00Z
        public var meanGapMillis: Int64 = 250

        public init(samples: String, policySet: PolicySet) {
            self.samples = samples
            self.policySet = policySet
        }
    }

    /// The templates of one feed, by what evaluating them gives.
    struct Pools: Sendable {
        var readOnly: [EventTemplate] = []
        var write: [EventTemplate] = []
        var matching: [EventTemplate] = []
    }

    public let configuration: Configuration
    public let accounts: BenchAccounts
    let pools: [Feed: Pools]
    /// Sample records that did not normalise (skipped).
    public let skippedSamples: Int

    /// Loads and classifies the samples. Throws when a sample file cannot be read or no sample
    /// of any feed normalises.
    public init(configuration: Configuration, accounts: BenchAccounts) throws {
        self.configuration = configuration
        self.accounts = accounts
        let directory = AccountDirectory(configured: accounts.all)
        var pools: [Feed: Pools] = [:]
        var skipped = 0
        var probe = BenchRandom(seed: 1)
        for file in configuration.sampleFiles {
            let path = URL(fileURLWithPath: configuration.samples).appendingPathComponent(file).path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BenchError("cannot read the sample file \(path) — pass --samples with the folder holding aws/, gcp/ and azure/")
            }
            for (number, line) in data.split(separator: 0x0A).enumerated() {
                let origin = "\(file):\(number + 1)"
                guard let record = try? JSONValue(parsingBytes: line), let sample = try? Normaliser.normalise(record),
                      let template = EventTemplate(record: record, event: sample, origin: origin)
                else { skipped += 1; continue }
                // Classify an instance as the generator will write it (fresh id, time and account).
                let account = accounts.pick(template.provider, using: &probe)
                var bytes: [UInt8] = []
                template.write(.init(id: probe.uuid(), epochMillis: configuration.startMillis, account: account.id), into: &bytes)
                guard let instance = try? JSONValue(parsingBytes: bytes), let event = try? Normaliser.normalise(instance) else {
                    skipped += 1
                    continue
                }
                let matches = configuration.policySet.evaluate(event, context: directory.context(for: event), now: Date())
                if matches.contains(where: { $0.kind == .violation }) {
                    pools[event.feed, default: Pools()].matching.append(template)
                } else if event.readOnly == true {
                    pools[event.feed, default: Pools()].readOnly.append(template)
                } else {
                    pools[event.feed, default: Pools()].write.append(template)
                }
            }
        }
        guard !pools.isEmpty else { throw BenchError("no sample record under \(configuration.samples) normalises") }
        self.pools = pools
        skippedSamples = skipped
    }

    /// How many usable templates each feed has, by kind (read-only, write, matching).
    public var templateCounts: [Feed: (readOnly: Int, write: Int, matching: Int)] {
        pools.mapValues { ($0.readOnly.count, $0.write.count, $0.matching.count) }
    }

    /// A stream of generated records for `seed`.
    public func stream(seed: UInt64) -> EventStream {
        EventStream(generator: self, seed: seed)
    }

    /// The template and values of event number `index` of a stream.
    func draw(index: Int, using rng: inout BenchRandom) -> (EventTemplate, EventTemplate.Values, fromMatching: Bool) {
        let c = configuration
        let u = unit(&rng)
        var feed: Feed = u < c.awsShare ? .cloudtrail : u < c.awsShare + c.gcpShare ? .gcpAudit : .azureActivity
        if pools[feed] == nil { feed = pools.keys.sorted { $0.rawValue < $1.rawValue }[0] }
        let pool = pools[feed]!
        let k = unit(&rng)
        var candidates = k < c.matchShare ? pool.matching : k < c.matchShare + c.writeShare ? pool.write : pool.readOnly
        if candidates.isEmpty { candidates = pool.readOnly.isEmpty ? (pool.write.isEmpty ? pool.matching : pool.write) : pool.readOnly }
        let template = candidates[Int(rng.next() % UInt64(candidates.count))]
        let fromMatching = !pool.matching.isEmpty && k < c.matchShare
        let account = accounts.pick(template.provider, using: &rng)
        // Mostly in order, some up to a minute late, as feeds deliver them.
        let late = rng.next() % 10 == 0 ? Int64(rng.next() % 60_000) : 0
        let time = c.startMillis + Int64(index) * c.meanGapMillis + Int64(rng.next() % UInt64(c.meanGapMillis)) - late
        let id = template.feed == .gcpAudit ? rng.token(length: 14) : rng.uuid()
        return (template, .init(id: id, epochMillis: time, account: account.id), fromMatching)
    }

    private func unit(_ rng: inout BenchRandom) -> Double {
        Double(rng.next() >> 11) / Double(1 << 53)
    }
}

/// An endless, deterministic sequence of generated records (one JSON object each).
public struct EventStream {
    let generator: EventGenerator
    var rng: BenchRandom
    /// Records produced so far.
    public private(set) var count = 0
    /// Records drawn from samples that match a policy.
    public private(set) var fromMatching = 0
    public private(set) var byFeed: [Feed: Int] = [:]

    init(generator: EventGenerator, seed: UInt64) {
        self.generator = generator
        rng = BenchRandom(seed: seed)
    }

    /// Appends the next record's JSON text (no newline) to `out`.
    public mutating func next(into out: inout [UInt8]) {
        let (template, values, matching) = generator.draw(index: count, using: &rng)
        template.write(values, into: &out)
        count += 1
        if matching { fromMatching += 1 }
        byFeed[template.feed, default: 0] += 1
    }

    /// The next record as a parsed and normalised event.
    public mutating func nextEvent() throws -> AuditEvent {
        var bytes: [UInt8] = []
        next(into: &bytes)
        var parser = JSONDocumentParser()
        var event = try Normaliser.normalise(try parser.parse(bytes))
        event.rawHasDottedKeys = parser.lastDocumentHasDottedKeys
        return event
    }
}
