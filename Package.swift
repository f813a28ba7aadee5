// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Parapet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "parapet", targets: ["parapet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "ParapetCore"),
        .target(name: "ParapetPolicy", dependencies: [
            "ParapetCore",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "CSQLiteTuning", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "ParapetStore", dependencies: [
            "ParapetCore", "CSQLiteTuning",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "ParapetProviders", dependencies: [
            "ParapetCore", "CZlib",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ParapetNotifiers", dependencies: [
            "ParapetCore",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ParapetDaemon", dependencies: [
            "ParapetCore", "ParapetPolicy", "ParapetStore", "ParapetProviders", "ParapetNotifiers",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .executableTarget(name: "parapet", dependencies: [
            "ParapetCore", "ParapetPolicy", "ParapetStore", "ParapetProviders", "ParapetNotifiers", "ParapetDaemon",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ParapetTesting", dependencies: [
            "ParapetCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ParapetCoreTests", dependencies: ["ParapetCore", "ParapetTesting"]),
        .testTarget(name: "ParapetPolicyTests", dependencies: ["ParapetPolicy", "ParapetTesting"], exclude: ["Fixtures"]),
        .testTarget(name: "ParapetStoreTests", dependencies: ["ParapetStore", "ParapetTesting"]),
        .testTarget(name: "ParapetProvidersTests", dependencies: [
            "ParapetProviders", "ParapetTesting",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .testTarget(name: "ParapetNotifiersTests", dependencies: [
            "ParapetNotifiers", "ParapetTesting",
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .testTarget(name: "ParapetDaemonTests", dependencies: [
            "ParapetDaemon", "ParapetTesting", "ParapetStore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "ParapetTesting", "ParapetCore", "ParapetStore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
