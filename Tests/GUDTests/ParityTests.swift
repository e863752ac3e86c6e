import Foundation
import Testing
@testable import GUD

/// Parity with the published reference implementation, driven by `Fixtures/reference-vectors.json`
/// (see `/work/shared/reference/README.md` for its schema). Every case is recomputed from its
/// inputs — the recorded calls are parsed, so the test keeps working when the file is replaced by
/// another of the same schema — and every output is compared (``Tolerance``) in both precisions.
///
/// Documented exceptions, where the reference is numerically arbitrary:
/// - β exactly on a clip bound may be half of ours (the reference differentiates through `clip`);
/// - VP at t = 0: the reference's β is NaN (0 · ∞); ours is checked against β_min + t (β_max − β_min);
/// - cosine where α(t) = 0 exactly (t = 1): the reference evaluates cos(fl(π/2)) ≠ 0; ours is checked
///   against the analytic limits γ = β = +∞, α = 0, σ = 1;
/// - eigenvector signs: the spaces are built from the recorded components, and the
///   eigendecomposition is compared up to the sign of each eigenvector.
/// The recorded `row_schedule(4, 5, 2)` passes 2 as γ_min (its `inputs` say −13): the call is what
/// the reference ran, so recorded call arguments take precedence over `inputs`.
@Suite("Parity with the reference implementation")
struct ParityTests {
    @Test(arguments: Precision.allCases)
    func schedules(_ precision: Precision) throws {
        switch precision {
        case .float32: try checkSchedules(Float.self, precision)
        case .float64: try checkSchedules(Double.self, precision)
        }
    }

    @Test(arguments: Precision.allCases)
    func linearSpace(_ precision: Precision) throws {
        switch precision {
        case .float32: try checkLinearSpace(Float.self, precision)
        case .float64: try checkLinearSpace(Double.self, precision)
        }
    }

    @Test(arguments: Precision.allCases)
    func fourierSpaces(_ precision: Precision) throws {
        switch precision {
        case .float32: try checkFourierSpaces(Float.self, precision)
        case .float64: try checkFourierSpaces(Double.self, precision)
        }
    }

    @Test(arguments: Precision.allCases)
    func conversions(_ precision: Precision) throws {
        switch precision {
        case .float32: try checkConversions(Float.self, precision)
        case .float64: try checkConversions(Double.self, precision)
        }
    }

    @Test(arguments: Precision.allCases)
    func ouProcess(_ precision: Precision) throws {
        switch precision {
        case .float32: try checkOUProcess(Float.self, precision)
        case .float64: try checkOUProcess(Double.self, precision)
        }
    }

    @Test(arguments: Precision.allCases)
    func reverseSDE(_ precision: Precision) throws {
        switch precision {
        case .float32: try checkReverseSDE(Float.self, precision)
        case .float64: try checkReverseSDE(Double.self, precision)
        }
    }
}

// MARK: - Access to the cases

/// One case (a JSON object) and, for Float, the same case of the float64 section.
private struct Case {
    let values: [String: Any]
    let reference64: [String: Any]?

    func array(_ key: String) throws -> FixtureArray { try Fixture.array(values[key]) }
    func alternative(_ key: String) -> FixtureArray? { reference64.flatMap { try? Fixture.array($0[key]) } }
    func has(_ key: String) -> Bool { values[key] != nil && !(values[key] is NSNull) }
    var inputs: [String: Any] { (values["inputs"] as? [String: Any]) ?? [:] }

    /// The numeric inputs, as the environment of recorded calls.
    var environment: [String: FixtureArray] {
        inputs.compactMapValues { try? Fixture.array($0) }
    }

    func child(_ key: String) throws -> Case {
        Case(values: try Fixture.dict(values[key], key), reference64: reference64.flatMap { $0[key] as? [String: Any] })
    }
}

private func section(_ precision: Precision) throws -> Case {
    Case(values: try Fixture.section(precision.rawValue),
         reference64: precision == .float32 ? try Fixture.section("float64") : nil)
}

private func compare<S: TensorScalar>(_ actual: Tensor<S>, _ c: Case, _ key: String, _ what: String,
                                      sourceLocation: SourceLocation = #_sourceLocation) throws {
    Tolerance<S>().expect(actual, try c.array(key), alternative: c.alternative(key), "\(what).\(key)",
                          sourceLocation: sourceLocation)
}

/// A (rows, width) coefficient table broadcast to (batch, components).
private func expandTable<S: TensorScalar>(_ table: Tensor<S>, batch: Int, components d: Int) -> Tensor<S> {
    let (rows, width) = (table.shape[0], table.shape[1])
    return Tensor(shape: [batch, d]) { i in table[flat: (rows == 1 ? 0 : i / d) * width + (width == 1 ? 0 : i % d)] }
}

// MARK: - Building reference objects

/// The schedule of a recorded call; parameters missing from the call and the inputs take the
/// reference's defaults.
private func makeSchedule<S: TensorScalar>(_ call: ReferenceCall, inputs: [String: Any], _: S.Type) throws -> any Schedule<S> {
    func number(_ name: String, _ fallback: String? = nil, default value: Double) -> S {
        S((try? call.value(name, inputs: inputs, fallback: fallback))?.values.first ?? value)
    }
    func flag(_ name: String) -> Bool { number(name, default: 0) != 0 }
    switch call.function {
    case "linear_schedule":
        return try LinearSchedule(gammaMin: number("gamma_min", default: -13.3), gammaMax: number("gamma_max", default: 5))
    case "vp_schedule":
        return try VPSchedule(betaMin: number("beta_min", default: 0.1), betaMax: number("beta_max", default: 20))
    case "cosine_schedule":
        return try CosineSchedule(s: number("s", default: 0.008))
    case "soft_conditioning_schedule":
        return try softConditioningSchedule(
            labels: call.value("labels", inputs: inputs).scalars(S.self),
            gammaMinTarget: number("gamma_min_target", default: -7), gammaMaxTarget: number("gamma_max_target", default: 3),
            softness: number("softness", default: 1), clip: flag("clip"))
    case "variance_adjusted_schedule":
        return try varianceAdjustedSchedule(
            variances: call.value("variances", inputs: inputs).scalars(S.self),
            gammaMinTarget: number("gamma_min_snr", default: -7), gammaMaxTarget: number("gamma_max_snr", default: 3),
            softness: number("softness", default: 1), clip: flag("clip"))
    case "column_schedule", "row_schedule":
        let rows = Int(number("n_rows", default: 0)), columns = Int(number("n_cols", default: 0))
        let (lo, hi, s) = (number("gamma_min", default: -13), number("gamma_max", default: 5), number("softness", default: 2))
        return call.function == "column_schedule"
            ? try columnSchedule(rows: rows, columns: columns, gammaMin: lo, gammaMax: hi, softness: s)
            : try rowSchedule(rows: rows, columns: columns, gammaMin: lo, gammaMax: hi, softness: s)
    default:
        throw GUDError.malformedData("no schedule for \(call.function)")
    }
}

/// The space named by a recorded description: "FourierSpace((4,4), …)" with `scale` from the
/// inputs, or "LinearSpace…" built from the linear-space section's recorded components and scale.
private func makeSpace<S: TensorScalar>(_ description: String, inputs: [String: Any], root: Case, _: S.Type) throws -> any Space<S> {
    if description.hasPrefix("FourierSpace") {
        let inner = description.drop { $0 != "(" }.dropFirst().drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }
        let shape = inner.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        return try FourierSpace(shape: shape, scale: Fixture.array(inputs["scale"]).scalars(S.self), checkSymmetry: false)
    }
    let linear = try root.child("linear_space")
    let d = try linear.array("scale").count
    return try LinearSpace(components: Tensor(shape: [d, d], scalars: linear.array("components").scalars(S.self)),
                           scale: linear.array("scale").scalars(S.self))
}

/// The reference's toy ε-model: ε_data = tanh(x.data · wᵢ + t · bᵢ), ε_cw = encode(ε_data) + x_cw.
private func toyEpsilon<S: TensorScalar>(_ x: Tensor<S>, state: NoisingState<S>, space: any Space<S>, w: [S], b: [S]) throws -> Tensor<S> {
    var data = try space.decode(x)
    let (d, channels) = (data.shape[1], data.shape[2])
    let times = try state.timesPerSample(batch: data.shape[0])
    for i in 0..<data.count {
        let component = (i / channels) % d, sample = i / (d * channels)
        data[flat: i] = S.tanh(data[flat: i] * w[component] + times[flat: sample] * b[component])
    }
    return try space.encode(data) + x
}

// MARK: - Schedules

private func checkSchedules<S: TensorScalar>(_: S.Type, _ precision: Precision) throws {
    let root = try section(precision)
    let cases = try Fixture.list(root.values["schedules"], "schedules")
    let cases64 = root.reference64.flatMap { $0["schedules"] as? [Any] }
    #expect(!cases.isEmpty)
    for (index, item) in cases.enumerated() {
        let values = try Fixture.dict(item, "schedule case")
        let c = Case(values: values, reference64: cases64?[index] as? [String: Any])
        let name = try Fixture.string(values["name"], "name")
        let call = try ReferenceCall(try Fixture.string(values["call"], "call"), environment: c.environment)
        let schedule = try makeSchedule(call, inputs: c.inputs, S.self)
        let times = try c.array("t").scalars(S.self)
        let width = schedule.width

        // Scalar evaluation at every t, and batched evaluation (one row per time) agreeing with it.
        var gamma = [S](), alpha = [S](), sigma = [S](), beta = [S]()
        for t in times {
            let state = schedule(t)
            gamma += state.gamma.scalars
            alpha += state.alpha.scalars
            sigma += state.sigma.scalars
            beta += state.beta.scalars
        }
        let batched = try schedule(times: times)
        #expect(batched.gamma.scalars == gamma && batched.beta.scalars == beta, "\(name): batched evaluation differs")

        var expected = (gamma: try c.array("gamma"), alpha: try c.array("alpha"), sigma: try c.array("sigma"), beta: try c.array("beta"))
        var alternative = (gamma: c.alternative("gamma"), alpha: c.alternative("alpha"), sigma: c.alternative("sigma"), beta: c.alternative("beta"))

        // VP at t = 0: the reference's β is NaN; the analytic value is β_min + t (β_max − β_min).
        if call.function == "vp_schedule", let vp = schedule as? VPSchedule<S> {
            for (k, t) in times.enumerated() where expected.beta.values[k].isNaN {
                expected.beta.values[k] = Double(vp.betaMin + t * (vp.betaMax - vp.betaMin))
                alternative.beta?.values[k] = expected.beta.values[k]
            }
        }
        // Cosine where α(t) = 0 exactly: the analytic limits.
        if call.function == "cosine_schedule", let cosine = schedule as? CosineSchedule<S> {
            let s = Double(cosine.s)
            for (k, t) in times.enumerated() where sin(Double.pi / 2 * (1 - Double(t)) / (1 + s)) == 0 {
                (expected.gamma.values[k], expected.beta.values[k]) = (.infinity, .infinity)
                (expected.alpha.values[k], expected.sigma.values[k]) = (0, 1)
                alternative.gamma?.values[k] = .infinity
                alternative.beta?.values[k] = .infinity
                alternative.alpha?.values[k] = 0
                alternative.sigma?.values[k] = 1
            }
        }
        // β exactly on a clip bound may be half ours in the reference.
        var onBound: [Bool]?
        if c.has("gamma_cap") {
            let cap = try c.array("gamma_cap")
            let n = cap.count / 2
            onBound = expected.gamma.values.indices.map { k in
                let i = n == 1 ? 0 : k % width
                return expected.gamma.values[k] == cap.values[i] || expected.gamma.values[k] == cap.values[n + i]
            }
        }
        let tolerance = Tolerance<S>()
        tolerance.expect(gamma, expected.gamma, alternative: alternative.gamma, "\(name).gamma")
        tolerance.expect(alpha, expected.alpha, alternative: alternative.alpha, "\(name).alpha")
        tolerance.expect(sigma, expected.sigma, alternative: alternative.sigma, "\(name).sigma")
        tolerance.expect(beta, expected.beta, alternative: alternative.beta, allowHalf: onBound, "\(name).beta")

        // Endpoints and clip bounds.
        var endpoints: (start: [S], end: [S], cap: [S])?
        if let linear = schedule as? LinearSchedule<S> {
            endpoints = (linear.gammaMin, linear.gammaMax, (linear.clip?.lower ?? []) + (linear.clip?.upper ?? []))
        } else if let sequential = schedule as? SequentialSchedule<S> {
            endpoints = (sequential.unclippedStart, sequential.unclippedEnd, [sequential.gammaMin, sequential.gammaMax])
        }
        if let endpoints, c.has("gamma_min") {
            tolerance.expect(endpoints.start, try c.array("gamma_min"), alternative: c.alternative("gamma_min"), "\(name).gamma_min")
            tolerance.expect(endpoints.end, try c.array("gamma_max"), alternative: c.alternative("gamma_max"), "\(name).gamma_max")
        }
        if let endpoints {
            if c.has("gamma_cap") {
                tolerance.expect(endpoints.cap, try c.array("gamma_cap"), "\(name).gamma_cap")
            } else if values.keys.contains("gamma_cap") {
                #expect(endpoints.cap.isEmpty, "\(name): the reference does not clip, ours does")
            }
        }
    }
}

// MARK: - Spaces

private func checkLinearSpace<S: TensorScalar>(_: S.Type, _ precision: Precision) throws {
    let c = try section(precision).child("linear_space")
    let inputs = c.inputs
    let tolerance = Tolerance<S>()

    // The eigendecomposition of the given covariance, compared up to the sign of each eigenvector.
    let covariance: Tensor<S> = try Fixture.array(inputs["cov"]).tensor()
    let d = covariance.shape[0]
    let fitted = try LinearSpace(covariance: covariance)
    tolerance.expect(fitted.variances ?? [], try c.array("eigenvalues"), alternative: c.alternative("eigenvalues"), "linear_space.eigenvalues")
    var signed = fitted.components
    let reference = try c.array("components")
    for row in 0..<d {
        let dot = (0..<d).reduce(0.0) { $0 + Double(signed[flat: row * d + $1]) * reference.values[row * d + $1] }
        if dot < 0 { for j in 0..<d { signed[flat: row * d + j] = -signed[flat: row * d + j] } }
    }
    tolerance.expect(signed, reference, alternative: c.alternative("components"), "linear_space.components (up to sign)")
    tolerance.expect(fitted.scale ?? [], try c.array("scale"), alternative: c.alternative("scale"), "linear_space.scale")

    // The space of the recorded components and scale, compared exactly.
    let space = try makeSpace("LinearSpace", inputs: inputs, root: try section(precision), S.self)
    let x: Tensor<S> = try Fixture.array(inputs["x"]).tensor()
    let w: Tensor<S> = try Fixture.array(inputs["w"]).tensor()
    let encoded = try space.encode(x)
    try compare(try space.toComponentSpace(x), c, "to_component_space_x", "linear_space")
    try compare(encoded, c, "encode_x", "linear_space")
    try compare(try space.decode(encoded), c, "decode_encode_x", "linear_space")
    var norms = Tensor<S>(shape: [x.shape[0], x.shape[2]])
    for b in 0..<x.shape[0] {
        for ch in 0..<x.shape[2] {
            norms[b, ch] = (0..<d).reduce(0) { $0 + encoded[b, $1, ch] * encoded[b, $1, ch] }
        }
    }
    try compare(norms, c, "whitened_sq_norm_x", "linear_space")
    try compare(try space.decode(w), c, "decode_w", "linear_space")
    try compare(try space.fromComponentSpace(w), c, "from_component_space_w", "linear_space")
    try compare(try DataValue(space, data: x).dataWhite, c, "data_white_of_data_x", "linear_space")
    try compare(try ScoreValue(space, data: x).compWhite, c, "score_comp_white_of_data_x", "linear_space")
    try compare(try ScoreValue(space, compWhite: w).data, c, "score_data_of_comp_white_w", "linear_space")
}

private func checkFourierSpaces<S: TensorScalar>(_: S.Type, _ precision: Precision) throws {
    let root = try section(precision)
    let keys = root.values.keys.filter { $0.hasPrefix("fourier_space") }.sorted()
    #expect(!keys.isEmpty)
    for key in keys {
        let c = try root.child(key)
        let inputs = c.inputs
        let shape = try Fixture.array(inputs["space_shape"]).values.map { Int($0) }
        let space = try FourierSpace(shape: shape, scale: Fixture.array(inputs["scale"]).scalars(S.self), checkSymmetry: false)
        let x: Tensor<S> = try Fixture.array(inputs["x"]).tensor()
        let encoded = try space.encode(x)
        try compare(try space.toComponentSpace(x), c, "to_component_space_x", key)
        try compare(encoded, c, "encode_x", key)
        try compare(try space.decode(encoded), c, "decode_encode_x", key)
        try compare(try space.transformNoise(x), c, "transform_noise_x", key)
        try compare(try DataValue(space, data: x).dataWhite, c, "data_white_of_data_x", key)
        try compare(try ScoreValue(space, data: x).compWhite, c, "score_comp_white_of_data_x", key)
        try compare(try ScoreValue(space, data: x).dataWhite, c, "score_data_white_of_data_x", key)
        if inputs["w_complex"] != nil {
            let w: Tensor<S> = try Fixture.array(inputs["w_complex"]).tensor()
            try compare(try space.decode(w), c, "decode_w", key)
            try compare(try space.fromComponentSpace(w), c, "from_component_space_w", key)
            try compare(try space.unwhiten(w), c, "unwhiten_w", key)
        }
    }
}

// MARK: - Conversions and the forward process

private func checkConversions<S: TensorScalar>(_: S.Type, _ precision: Precision) throws {
    let root = try section(precision)
    for key in ["conversions", "conversions_scalar"] {
        let c = try root.child(key)
        let inputs = c.inputs
        let call = try ReferenceCall(try Fixture.string(inputs["schedule"], "schedule"), environment: c.environment)
        let schedule = try makeSchedule(call, inputs: inputs, S.self)
        let t = try Fixture.array(inputs["t"])
        let eps: Tensor<S> = try Fixture.array(inputs["eps"]).tensor()
        let x: Tensor<S> = try Fixture.array(inputs["x"]).tensor()
        let score: Tensor<S> = try Fixture.array(inputs["score"]).tensor()
        let v: Tensor<S> = try Fixture.array(inputs["v"]).tensor()
        // One time per sample, or one shared time.
        let state = t.shape.isEmpty ? schedule(S(t.values[0])) : try schedule(times: t.scalars(S.self))
        let expanded = { (table: Tensor<S>) -> Tensor<S> in
            t.shape.isEmpty ? table : expandTable(table, batch: x.shape[0], components: x.shape[1])
        }
        try compare(expanded(state.gamma), c, "gamma", key)
        try compare(expanded(state.sigma), c, "sigma", key)
        try compare(expanded(state.beta), c, "beta", key)
        try compare(try epsilonToScore(eps, state: state), c, "epsilon_to_score", key)
        try compare(try scoreToVelocity(score, x: x, state: state), c, "score_to_velocity", key)
        try compare(try epsilonToVelocity(eps, x: x, state: state), c, "epsilon_to_velocity", key)
        try compare(try velocityToEpsilon(v, x: x, state: state), c, "velocity_to_epsilon", key)
        if c.has("score_to_epsilon") { try compare(try scoreToEpsilon(score, state: state), c, "score_to_epsilon", key) }
        if c.has("velocity_to_score") { try compare(try velocityToScore(v, x: x, state: state), c, "velocity_to_score", key) }
    }
}

private func checkOUProcess<S: TensorScalar>(_: S.Type, _ precision: Precision) throws {
    let root = try section(precision)
    let c = try root.child("ou_process")
    let inputs = c.inputs
    let space: any Space<S> = try makeSpace(try Fixture.string(inputs["space"], "space"), inputs: inputs, root: root, S.self)
    let call = try ReferenceCall(try Fixture.string(inputs["schedule"], "schedule"), environment: c.environment)
    let schedule = try makeSchedule(call, inputs: inputs, S.self)
    let state = try schedule(times: Fixture.array(inputs["t"]).scalars(S.self))
    let x: Tensor<S> = try Fixture.array(inputs["x_data"]).tensor()
    let z: Tensor<S> = try Fixture.array(inputs["z_real"]).tensor()
    let (noised, noise) = try GUD.ouProcess(DataValue(space, data: x), state: state, realNoise: z)
    try compare(expandTable(state.alpha, batch: x.shape[0], components: x.shape[1]), c, "alpha", "ou_process")
    try compare(expandTable(state.sigma, batch: x.shape[0], components: x.shape[1]), c, "sigma", "ou_process")
    try compare(try space.encode(x), c, "x_comp_white", "ou_process")
    try compare(try noise.compWhite, c, "z_comp_white", "ou_process")
    try compare(try noised.compWhite, c, "noised_comp_white", "ou_process")
    try compare(try noised.data, c, "noised_data", "ou_process")
    let prediction = try DataValue(space, data: Fixture.array(inputs["eps_pred_data"]).tensor(S.self))
    let loss = try epsilonMatchingLoss(predicted: prediction, target: noise)
    try compare(Tensor([loss]), c, "loss", "ou_process")
}

// MARK: - Reverse SDE

private func checkReverseSDE<S: TensorScalar>(_: S.Type, _ precision: Precision) throws {
    let root = try section(precision)
    let reverse = try root.child("reverse_sde")
    let tolerance = Tolerance<S>()
    var fourierModel: (space: any Space<S>, schedule: any Schedule<S>, w: [S], b: [S])?

    for key in ["linear_space", "fourier_4x4"] {
        let c = try reverse.child(key)
        var inputs = c.inputs
        var environment = c.environment
        environment["cov"] = try Fixture.array(try root.child("linear_space").inputs["cov"])
        if inputs["scale"] == nil { inputs["scale"] = try root.child("linear_space").values["scale"] }
        let space = try makeSpace(try Fixture.string(inputs["space"], "space"), inputs: inputs, root: root, S.self)
        let call = try ReferenceCall(try Fixture.string(inputs["schedule"], "schedule"), environment: environment)
        let schedule = try makeSchedule(call, inputs: inputs, S.self)
        let (w, b) = (try Fixture.array(inputs["toy_w"]).scalars(S.self), try Fixture.array(inputs["toy_b"]).scalars(S.self))
        let dt = S(try Fixture.number(inputs["dt"]))
        let x: Tensor<S> = inputs["x_comp_white"] != nil
            ? try Fixture.array(inputs["x_comp_white"]).tensor()
            : try space.transformNoise(Fixture.array(inputs["z_real"]).tensor())
        try compare(x, c, "x_comp_white", "reverse_sde.\(key)")
        let dW = try space.transformNoise(Fixture.array(inputs["dW_real"]).tensor(S.self))
        let steps = try Fixture.list(c.values["steps"], "steps")
        let steps64 = c.reference64.flatMap { $0["steps"] as? [Any] }
        #expect(!steps.isEmpty)
        for (index, item) in steps.enumerated() {
            let step = Case(values: try Fixture.dict(item, "step"), reference64: steps64?[index] as? [String: Any])
            let t = S(try Fixture.number(step.values["t"]))
            let state = schedule(t)
            let what = "reverse_sde.\(key) at t = \(t)"
            let expand = { (table: Tensor<S>) in expandTable(table, batch: x.shape[0], components: x.shape[1]) }
            try compare(expand(state.gamma), step, "gamma", what)
            try compare(expand(state.beta), step, "beta", what)
            try compare(expand(state.beta.map { $0.squareRoot() }), step, "diffusion", what)
            let eps = try toyEpsilon(x, state: state, space: space, w: w, b: b)
            try compare(eps, step, "eps_pred_comp_white", what)
            try compare(try epsilonToScore(eps, state: state), step, "score", what)
            try compare(try reverseSDEDrift(x: x, epsilon: eps, state: state), step, "drift", what)
            var mean = x
            try eulerMaruyamaStep(&mean, epsilon: eps, increment: nil, state: state, dt: dt)
            try compare(mean, step, "euler_mean", what)
            var full = x
            try eulerMaruyamaStep(&full, epsilon: eps, increment: dW, state: state, dt: dt)
            try compare(full, step, "euler_full_with_dW", what)
        }
        if key == "fourier_4x4" { fourierModel = (space, schedule, w, b) }
    }

    // The reference sampler's first steps: x_{n+1} = x_n + drift (t_{n+1} − t_n) + √β transformNoise(ΔW_n).
    if let model = fourierModel {
        let c = try reverse.child("diffrax_two_steps_fourier_4x4")
        let nodes = try c.array("t_nodes").scalars(S.self)
        let call = try Fixture.string(c.inputs["call"], "call")
        if let dt = call.range(of: "dt=").map({ call[$0.upperBound...].prefix { $0.isNumber || $0 == "." } }).flatMap({ Double($0) }) {
            let grid = try TimeGrid.uniform(from: nodes[0], to: S(0), stepSize: S(dt))
            #expect(Array(grid.prefix(nodes.count)) == nodes, "the time grid's first nodes differ from the reference's")
        }
        var x: Tensor<S> = try c.array("x0_comp_white").tensor()
        let dW = try c.array("dW_real")
        let perStep = dW.count / dW.shape[0]
        var after = [S](), decoded = [S]()
        for n in 0..<(nodes.count - 1) {
            let state = model.schedule(nodes[n])
            let eps = try toyEpsilon(x, state: state, space: model.space, w: model.w, b: model.b)
            let real = try Tensor(shape: Array(dW.shape.dropFirst()), scalars: Array(dW.values[(n * perStep)..<((n + 1) * perStep)]).map { S($0) })
            try eulerMaruyamaStep(&x, epsilon: eps, increment: model.space.transformNoise(real), state: state, dt: nodes[n + 1] - nodes[n])
            after += x.scalars
            decoded += try model.space.decode(x).scalars
        }
        tolerance.expect(after, try c.array("x_comp_white_after_each_step"), alternative: c.alternative("x_comp_white_after_each_step"),
                         "diffrax_two_steps.x_comp_white_after_each_step")
        tolerance.expect(decoded, try c.array("diffrax_output_data"), alternative: c.alternative("diffrax_output_data"),
                         "diffrax_two_steps.diffrax_output_data")
    }

    // The time grid, bit for bit.
    for key in reverse.values.keys where key.hasPrefix("diffrax_time_grid_dt") {
        let c = try reverse.child(key)
        let dt = S(Double(key.dropFirst("diffrax_time_grid_dt".count))!)
        let grid = try TimeGrid.uniform(from: S(1), to: S(0), stepSize: dt)
        let expected = try c.array("t_end_of_steps").scalars(S.self)
        #expect(grid.count - 1 == Int(try Fixture.number(c.values["num_steps"])), "\(key): step count")
        #expect(Array(grid.dropFirst()) == expected, "\(key): grid times differ from the reference's")
    }
}
