import ParapetCore

/// The synthetic organisation the generated events come from: AWS accounts, GCP projects and
/// Azure subscriptions, each owned by a team, deterministic from the seed. A few accounts are
/// busy and most are quiet, as in a real organisation.
public struct BenchAccounts: Sendable {
    public let aws: [Account]
    public let gcp: [Account]
    public let azure: [Account]
    public let teams: [String]

    /// Creates `awsCount` + `gcpCount` + `azureCount` accounts spread over `teamCount` teams.
    public init(seed: UInt64, awsCount: Int = 1_000, gcpCount: Int = 300, azureCount: Int = 200, teamCount: Int = 40) {
        var rng = BenchRandom(seed: seed ^ 0xACC0_4E75)
        let teams = (0..<max(1, teamCount)).map { "team-" + BenchTime.pad($0, 2) }
        func account(_ provider: Provider, _ id: String, _ index: Int) -> Account {
            let team = teams[index % teams.count]
            let stage = ["prod", "staging", "dev", "sandbox"][index / teams.count % 4]
            return Account(provider: provider, id: id, name: "\(team)-\(provider.rawValue)-\(stage)-\(index)", team: team,
                           ou: "Root/Workloads/\(team)/\(stage)")
        }
        aws = (0..<max(1, awsCount)).map { i in
            account(.aws, BenchTime.pad(Int(rng.next() % 900_000_000_000) + 100_000_000_000, 12), i)
        }
        gcp = (0..<max(1, gcpCount)).map { i in account(.gcp, "proj-\(rng.token(length: 6))-\(i)", i) }
        azure = (0..<max(1, azureCount)).map { i in account(.azure, rng.uuid(), i) }
        self.teams = teams
    }

    /// Every account.
    public var all: [Account] { aws + gcp + azure }

    /// The accounts of `provider`.
    public func accounts(of provider: Provider) -> [Account] {
        switch provider {
        case .aws: aws
        case .gcp: gcp
        case .azure: azure
        }
    }

    /// A skewed pick: low indexes (busy accounts) are drawn far more often than high ones.
    func pick(_ provider: Provider, using rng: inout BenchRandom) -> Account {
        let list = accounts(of: provider)
        let u = Double(rng.next() >> 11) / Double(1 << 53)
        return list[min(list.count - 1, Int(u * u * Double(list.count)))]
    }
}
