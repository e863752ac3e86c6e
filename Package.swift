// swift-tools-version:6.0
//
// GUD for Swift: Generation with Unified Diffusion (Gerdes, Welling, Cheng, arXiv 2410.02667).
//
// Public API: the `GUD` library (`import GUD`), which re-exports `GUDNumerics` (tensors, BLAS,
// LAPACKE, FFTW, random sources) and `GUDNN` (differentiable layers, networks, optimisers,
// checkpoints). The C modules under `Modules/` are implementation details.
import PackageDescription

let package = Package(
    name: "GUD",
    products: [
        .library(name: "GUD", targets: ["GUD"]),
        .executable(name: "gud", targets: ["gud"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Documentation only (scripts/docs.sh): a command plugin, built only when
        // `swift package generate-documentation` runs; ordinary builds and tests do not compile it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // System libraries, found with pkg-config and installed from the distribution's packages.
        .systemLibrary(
            name: "CBLAS", path: "Modules/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .systemLibrary(
            name: "CLAPACKE", path: "Modules/CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev"]), .brew(["lapack"])]),
        .systemLibrary(
            name: "CFFTW", path: "Modules/CFFTW", pkgConfig: "fftw3",
            providers: [.apt(["libfftw3-dev"]), .brew(["fftw"])]),
        .systemLibrary(
            name: "CZlib", path: "Modules/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),

        // Numeric core: n-dimensional arrays, BLAS/LAPACKE/FFTW wrappers, random sources.
        .target(
            name: "GUDNumerics",
            dependencies: [
                "CBLAS", "CLAPACKE", "CFFTW",
                .product(name: "RealModule", package: "swift-numerics"),
            ]),
        // Neural-network engine: reverse-mode gradients, layers, architectures, optimisers, checkpoints.
        .target(name: "GUDNN", dependencies: ["GUDNumerics"]),
        // The diffusion framework: spaces, schedules, samplers, likelihood, training, data and I/O.
        .target(
            name: "GUD", dependencies: ["GUDNumerics", "GUDNN", "CZlib"],
            resources: [.copy("Resources/Datasets"), .copy("Resources/Classifier")]),
        // The command-line tool.
        .executableTarget(
            name: "gud",
            dependencies: ["GUD", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Benchmarks (run with scripts/bench.sh): shared timing/JSON support and one executable per suite.
        .target(
            name: "BenchmarkSupport",
            dependencies: ["GUD", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/BenchmarkSupport"),
        .executableTarget(
            name: "gud-bench-gemm",
            dependencies: ["BenchmarkSupport", "GUD", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/GemmBenchmark"),
        // Counting wrappers around glibc's malloc, linked only into the sampler benchmark.
        .target(name: "MallocCounter", path: "Benchmarks/MallocCounter"),
        .executableTarget(
            name: "gud-bench-sampler",
            dependencies: [
                "BenchmarkSupport", "GUD", "MallocCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/SamplerBenchmark"),
        .executableTarget(
            name: "gud-bench-transforms",
            dependencies: ["BenchmarkSupport", "GUD", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/TransformBenchmark"),
        .executableTarget(
            name: "gud-bench-likelihood",
            dependencies: ["BenchmarkSupport", "GUD", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/LikelihoodBenchmark"),
        .executableTarget(
            name: "gud-bench-scaling",
            dependencies: ["BenchmarkSupport", "GUD", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/ScalingBenchmark"),
        .executableTarget(
            name: "gud-bench-summary",
            dependencies: ["BenchmarkSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/BenchmarkSummary"),
        .executableTarget(
            name: "gud-bench-nn",
            dependencies: ["BenchmarkSupport", "GUD", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/NNBenchmark"),

        // Example programs (Examples/, `swift run TrainOnNPY --help`): they use only `import GUD`,
        // as a package depending on GUD would; ExamplesTests runs both at a tiny size.
        .executableTarget(
            name: "TrainOnNPY",
            dependencies: ["GUD", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/TrainOnNPY"),
        .executableTarget(
            name: "SampleWithCustomSchedule",
            dependencies: ["GUD", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/SampleWithCustomSchedule"),

        .testTarget(name: "GUDNumericsTests", dependencies: ["GUDNumerics"]),
        .testTarget(name: "GUDNNTests", dependencies: ["GUDNN"]),
        .testTarget(
            name: "GUDTests", dependencies: ["GUD", "CZlib"],
            exclude: ["Metrics/frechet_reference.py"], resources: [.copy("Fixtures")]),
        // Runs built executables for the two test targets below.
        .target(name: "ProcessSupport", path: "Tests/ProcessSupport"),
        .testTarget(name: "GUDCLITests", dependencies: ["gud", "GUD", "ProcessSupport"]),
        .testTarget(name: "ExamplesTests", dependencies: ["TrainOnNPY", "SampleWithCustomSchedule", "GUD", "ProcessSupport"]),
    ]
)
