import ParapetCore

/// A real sample record prepared for fast instantiation: its serialised text split around the
/// fields the generator replaces (event id, times, account), so that writing an event is only
/// concatenating bytes.
struct EventTemplate: Sendable {
    enum Slot: Sendable { case id, time, timeMillis, account }
    enum Piece: Sendable {
        case literal([UInt8])
        case slot(Slot)
    }

    /// The values of one instance of a template.
    struct Values {
        var id: String
        var epochMillis: Int64
        var account: String
    }

    let provider: Provider
    let feed: Feed
    let operation: String
    /// Where the record came from (`aws/cloudtrail-records.jsonl:12`).
    let origin: String
    let pieces: [Piece]

    static let markers: [(String, Slot)] = [
        ("@@BENCH_ID@@", .id), ("@@BENCH_TIMEMS@@", .timeMillis), ("@@BENCH_TIME@@", .time), ("@@BENCH_ACCOUNT@@", .account),
    ]

    /// Prepares `record` (already known to normalise to `event`); nil when the feed's id and time
    /// fields cannot be placed.
    init?(record: JSONValue, event: AuditEvent, origin: String) {
        guard case .object(var members) = record else { return nil }
        switch event.feed {
        case .cloudtrail:
            guard members["eventID"] != nil, members["eventTime"] != nil else { return nil }
            members["eventID"] = "@@BENCH_ID@@"
            members["eventTime"] = "@@BENCH_TIME@@"
        case .gcpAudit:
            guard members["insertId"] != nil, members["timestamp"] != nil else { return nil }
            members["insertId"] = "@@BENCH_ID@@"
            members["timestamp"] = "@@BENCH_TIMEMS@@"
            if members["receiveTimestamp"] != nil { members["receiveTimestamp"] = "@@BENCH_TIMEMS@@" }
        case .azureActivity:
            if members["eventDataId"] != nil || members["eventTimestamp"] != nil {
                members["eventDataId"] = "@@BENCH_ID@@"
                members["eventTimestamp"] = "@@BENCH_TIMEMS@@"
                if members["submissionTimestamp"] != nil { members["submissionTimestamp"] = "@@BENCH_TIMEMS@@" }
            } else {
                guard members["time"] != nil else { return nil }
                members["time"] = "@@BENCH_TIMEMS@@"
                var properties = members["properties"]?.objectValue ?? [:]
                properties["eventDataId"] = "@@BENCH_ID@@"
                members["properties"] = .object(properties)
            }
        }
        var text = JSONValue.object(members).serialized()
        let account = event.account
        if account.count >= 6 {
            for form in Set([account, account.lowercased(), account.uppercased()]) {
                text = text.replacingAll(form, with: "@@BENCH_ACCOUNT@@")
            }
        }
        provider = event.provider
        feed = event.feed
        operation = event.operation
        self.origin = origin
        pieces = Self.split(text)
    }

    /// The record's JSON text with `values` in place, appended to `out`.
    func write(_ values: Values, into out: inout [UInt8]) {
        for piece in pieces {
            switch piece {
            case .literal(let bytes): out.append(contentsOf: bytes)
            case .slot(.id): out.append(contentsOf: values.id.utf8)
            case .slot(.time): out.append(contentsOf: BenchTime.text(epochMillis: values.epochMillis, millis: false).utf8)
            case .slot(.timeMillis): out.append(contentsOf: BenchTime.text(epochMillis: values.epochMillis, millis: true).utf8)
            case .slot(.account): out.append(contentsOf: values.account.utf8)
            }
        }
    }

    static func split(_ text: String) -> [Piece] {
        // One pass over the bytes (Foundation's `range(of:)` per marker per piece was most of the
        // generator's set-up time); at a place where several markers start, the first listed wins.
        let bytes = Array(text.utf8)
        let markerBytes = markers.map { (Array($0.0.utf8), $0.1) }
        var pieces: [Piece] = []
        var literalStart = 0
        var i = 0
        scan: while i < bytes.count {
            for (marker, slot) in markerBytes where bytes.count - i >= marker.count && bytes[i] == marker[0]
                && bytes[i..<i + marker.count].elementsEqual(marker)
            {
                if i > literalStart { pieces.append(.literal(Array(bytes[literalStart..<i]))) }
                pieces.append(.slot(slot))
                i += marker.count
                literalStart = i
                continue scan
            }
            i += 1
        }
        if literalStart < bytes.count { pieces.append(.literal(Array(bytes[literalStart...]))) }
        return pieces
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        out += rest
        return out
    }
}
