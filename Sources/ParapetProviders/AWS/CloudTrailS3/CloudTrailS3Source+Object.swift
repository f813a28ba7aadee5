import Foundation
import ParapetCore

extension CloudTrailS3Source {
    /// Reads one log file: gunzip when it is gzip, parse `{"Records": […]}`. A file that
    /// cannot be read that way is quarantined whole, with its `s3://bucket/key`.
    func readObject(_ key: String, account: String, into batch: inout CloudTrailBatch) async throws {
        let location = "s3://\(configuration.bucket)/\(key)"
        let body = try await s3.get(bucket: configuration.bucket, key: key)
        var data = body
        let isGzip = body.count >= 2 && body[body.startIndex] == 0x1F && body[body.startIndex + 1] == 0x8B
        if isGzip {
            do {
                data = try decompress(body)
            } catch {
                batch.quarantined.append(quarantine(location, "cannot gunzip the log file: \(error)", body))
                return
            }
        } else if key.hasSuffix(".gz") {
            batch.quarantined.append(quarantine(location, "the log file is named .gz but is not gzip data", body))
            return
        }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: data)
        } catch {
            batch.quarantined.append(quarantine(location, "the log file is not valid JSON: \(error)", data))
            return
        }
        guard let records = document["Records"]?.arrayValue else {
            batch.quarantined.append(quarantine(location, "the log file has no Records array", data))
            return
        }
        for (index, record) in records.enumerated() {
            let recordLocation = "\(location)#\(index)"
            guard case .object = record else {
                batch.quarantined.append(quarantine(recordLocation, "Records[\(index)] is not a JSON object",
                                                    Data(record.serialized().utf8)))
                continue
            }
            let owner = record["recipientAccountId"]?.stringValue ?? account
            batch.records.append(CloudTrailRawRecord(record: record, location: recordLocation, account: owner))
        }
    }

    private func quarantine(_ location: String, _ reason: String, _ raw: Data) -> QuarantinedRecord {
        QuarantinedRecord(sourceID: id, location: location, reason: reason, raw: raw.prefix(1 << 20), receivedAt: now())
    }
}
