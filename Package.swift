// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "anchor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "anchor", targets: ["anchor"]),
        .library(name: "AnchorCore", targets: ["AnchorCore"]),
        .library(name: "AnchorScript", targets: ["AnchorScript"]),
        .library(name: "AnchorStore", targets: ["AnchorStore"]),
        .library(name: "AnchorVoice", targets: ["AnchorVoice"]),
        .library(name: "AnchorAvatar", targets: ["AnchorAvatar"]),
        .library(name: "AnchorMedia", targets: ["AnchorMedia"]),
        .library(name: "AnchorChat", targets: ["AnchorChat"]),
        .library(name: "AnchorStream", targets: ["AnchorStream"]),
        .library(name: "AnchorEngine", targets: ["AnchorEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Only the HTTP server: no configuration or full-Foundation traits.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        // HMAC for signed event webhooks; already in the graph through the WebSocket client.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CEspeak", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev"])]),
        .systemLibrary(name: "CAV", pkgConfig: "libswresample", providers: [.apt(["libswresample-dev", "libswscale-dev", "libavutil-dev", "libavformat-dev", "libavcodec-dev"])]),
        .systemLibrary(name: "CX264", pkgConfig: "x264", providers: [.apt(["libx264-dev"])]),
        .systemLibrary(name: "CX265", pkgConfig: "x265", providers: [.apt(["libx265-dev"])]),
        .systemLibrary(name: "CEbur128", pkgConfig: "libebur128", providers: [.apt(["libebur128-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CRsvg", pkgConfig: "librsvg-2.0", providers: [.apt(["librsvg2-dev"])]),
        .systemLibrary(name: "CMalloc"),
        // DTLS-SRTP for WebRTC: the system OpenSSL 3 and libsrtp2, wrapped once in C.
        .target(name: "CWebRTC", linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto"), .linkedLibrary("srtp2")]),
        .systemLibrary(name: "CCompress", providers: [.apt(["zlib1g-dev", "libbrotli-dev"])]),
        .target(name: "AnchorCore", dependencies: ["CMalloc"]),
        .target(
            name: "AnchorScript",
            dependencies: ["AnchorCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "AnchorStore",
            dependencies: ["AnchorCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(name: "AnchorVoice", dependencies: ["AnchorCore", "CEspeak", "CAV", "CEbur128"]),
        .target(name: "AnchorAvatar", dependencies: ["AnchorCore", "CCairo", "CRsvg"]),
        // The BGRA → I420 loop, in C vector types: fast enough for live frames in debug builds too.
        .target(name: "CColor"),
        .target(name: "AnchorMedia", dependencies: ["AnchorCore", "CColor", "CX264", "CX265", "CAV"]),
        .target(
            name: "AnchorChat",
            dependencies: ["AnchorCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "AnchorStream",
            dependencies: [
                "AnchorCore", "AnchorMedia", "CWebRTC", "CCompress",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Platform chat connectors: IRC (Twitch chat), YouTube live chat, Bilibili danmaku.
        .target(
            name: "AnchorConnect",
            dependencies: ["AnchorChat", "AnchorStream", "CCompress",
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "HummingbirdWSClient", package: "hummingbird-websocket")]
        ),
        .target(
            name: "AnchorEngine",
            dependencies: ["AnchorCore", "AnchorScript", "AnchorStore", "AnchorVoice", "AnchorAvatar", "AnchorMedia", "AnchorStream", "AnchorChat",
                           .product(name: "Yams", package: "Yams"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The CLI's option types and helpers, shared by its commands and the benchmarks.
        .target(
            name: "AnchorCommandLine",
            dependencies: [
                "AnchorCore", "AnchorScript", "AnchorStore", "AnchorAvatar", "AnchorMedia", "AnchorStream", "AnchorChat", "AnchorEngine", "AnchorConnect",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // `anchor bench`: each figure measured against a reference in the same run.
        .target(
            name: "AnchorBench",
            dependencies: [
                "AnchorCommandLine", "AnchorCore", "AnchorScript", "AnchorStore", "AnchorVoice", "AnchorAvatar", "AnchorMedia", "AnchorStream", "AnchorChat", "AnchorEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "anchor",
            dependencies: [
                "AnchorCommandLine", "AnchorBench",
                "AnchorCore", "AnchorScript", "AnchorStore", "AnchorVoice", "AnchorAvatar", "AnchorMedia", "AnchorStream", "AnchorChat", "AnchorEngine", "AnchorConnect",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "AnchorTestSupport", path: "Tests/Support"),
        .testTarget(name: "AnchorCoreTests", dependencies: ["AnchorCore"]),
        .testTarget(
            name: "AnchorScriptTests",
            dependencies: ["AnchorScript", "AnchorCore", "AnchorStore", "AnchorTestSupport"],
            exclude: ["Golden"]
        ),
        // What scripts/fuzz.sh fuzzes: every parser of outside text, and a replay program.
        .target(name: "AnchorFuzzing", dependencies: ["AnchorCore", "AnchorScript", "AnchorStore", "AnchorChat", "AnchorStream", "AnchorConnect",
                                                      .product(name: "NIOCore", package: "swift-nio"),
                                                      .product(name: "NIOEmbedded", package: "swift-nio")]),
        .target(name: "CLibFuzzer"),
        .executableTarget(name: "anchor-fuzz", dependencies: ["AnchorFuzzing", "CLibFuzzer"]),
        .testTarget(name: "AnchorStoreTests", dependencies: ["AnchorStore", "AnchorCore", "AnchorTestSupport"]),
        .testTarget(name: "AnchorVoiceTests", dependencies: ["AnchorVoice", "AnchorCore", "AnchorScript", "AnchorTestSupport"]),
        .testTarget(name: "AnchorAvatarTests", dependencies: ["AnchorAvatar", "AnchorEngine", "AnchorCore", "AnchorScript", "AnchorStore", "AnchorTestSupport"]),
        .testTarget(name: "AnchorMediaTests", dependencies: ["AnchorMedia", "AnchorCore", "AnchorTestSupport"]),
        .testTarget(
            name: "AnchorStreamTests",
            dependencies: [
                "AnchorStream", "AnchorMedia", "AnchorTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AnchorEngineTests",
            dependencies: ["AnchorEngine", "AnchorCore", "AnchorScript", "AnchorChat", "AnchorAvatar", "AnchorMedia", "AnchorTestSupport",
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOEmbedded", package: "swift-nio"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                           .product(name: "Prometheus", package: "swift-prometheus")]
        ),
        .testTarget(name: "AnchorChatTests", dependencies: ["AnchorChat", "AnchorCore", "AnchorStore", "AnchorConnect", "AnchorStream", "AnchorTestSupport"]),
        .testTarget(name: "AnchorCLITests", dependencies: ["AnchorCore", "AnchorTestSupport"]),
        .testTarget(name: "AnchorFuzzingTests", dependencies: ["AnchorFuzzing", "AnchorTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
