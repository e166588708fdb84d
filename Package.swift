// swift-tools-version: 6.0
import Foundation
import PackageDescription

let package = Package(
    name: "PhaseRunner",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Core", targets: ["Core"]),
        .library(name: "TUI", targets: ["TUI"]),
        .executable(name: "phaserunner", targets: ["phaserunner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    ],
    targets: [
        .target(name: "Core", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "CNCurses", linkerSettings: [.linkedLibrary("ncursesw")]),
        .target(name: "TUI", dependencies: ["Core", "CNCurses"]),
        .executableTarget(
            name: "phaserunner",
            dependencies: [
                "Core", "TUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "benchmarks", dependencies: ["Core", "TUI"], path: "Benchmarks"),
        .testTarget(name: "CoreTests", dependencies: ["Core"], exclude: ["Fixtures", "Golden"]),
        .testTarget(name: "TUITests", dependencies: ["TUI"], exclude: ["__snapshots__"]),
        .testTarget(name: "CLITests", dependencies: ["phaserunner"]),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer target, only for `scripts/fuzz.sh` (which sets PHASERUNNER_FUZZ and builds with
// -sanitize=fuzzer,address; libFuzzer supplies main, so it cannot be built the ordinary way).
if ProcessInfo.processInfo.environment["PHASERUNNER_FUZZ"] != nil {
    package.products.append(.executable(name: "fuzz-schema", targets: ["fuzz-schema"]))
    package.targets.append(.executableTarget(name: "fuzz-schema", dependencies: ["Core"], path: "Fuzz/FuzzSchema",
                                             swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
}
