namespace DnnOpt.Optimization.Benchmarks;

/// <summary>
/// Standard optimisation problems with published optima, as <see cref="FunctionProblem"/>s. Constraint scales follow
/// the default normalisation of <see cref="MetricInfo"/>: a constraint written <c>metric - limit</c> has scale
/// <c>|limit|</c>; the objective scale is about the magnitude of the known optimum, or 1 for Branin, Ackley and
/// Rosenbrock (optima 0.4, 0 and 0).
/// </summary>
public static class BenchmarkSuite
{
    /// <summary>Every problem of the suite, constrained ones first.</summary>
    public static IReadOnlyList<FunctionProblem> All() =>
    [
        PressureVessel(), WeldedBeam(), TensionCompressionSpring(), G4(), G6(),
        Branin(), Hartmann6(), Ackley(10), Rosenbrock(10),
    ];

    /// <summary>The constrained problems: pressure vessel, welded beam, spring, G4, G6.</summary>
    public static IReadOnlyList<FunctionProblem> Constrained() =>
        [PressureVessel(), WeldedBeam(), TensionCompressionSpring(), G4(), G6()];

    /// <summary>
    /// Larger problems kept out of <see cref="All"/> because Gaussian-process baselines are slow on them: the synthetic
    /// 20-variable, 29-constraint sizing problem (<see cref="SyntheticSizing"/>), the scale of the paper's OTA.
    /// </summary>
    public static IReadOnlyList<FunctionProblem> Large() => [SyntheticSizing.Create()];

    /// <summary>
    /// Constrained problems whose feasible region random sampling rarely or never hits: G1, G7, G9 and G10 of the CEC
    /// 2006 suite. Feasible fractions of the box, the report's ρ from 1,000,000 random points: G7 0.0003 %, G9
    /// 0.5121 %, G10 0.0010 % (G9's checked by the tests); G1's printed 0.0111 % is not what uniform sampling gives,
    /// which is below 0.0027 % (g7-g9 need x10-x12, each in [0, 100], below 3). On the five of
    /// <see cref="Constrained"/> a random design is feasible within a few dozen samples, so simulations to the first feasible design there mostly count the initial samples; these are the
    /// constrained problems where finding feasibility is the hard part, as on the circuits. Kept out of
    /// <see cref="All"/> so the default study set stays the nine.
    /// </summary>
    public static IReadOnlyList<FunctionProblem> SparseFeasible() => [G1(), G7(), G9(), G10()];

    /// <summary>
    /// Looks a problem up by <see cref="FunctionProblem.Name"/> (ordinal, case-insensitive) among <see cref="All"/>,
    /// <see cref="SparseFeasible"/> and <see cref="Large"/>; null if unknown.
    /// </summary>
    public static FunctionProblem? ByName(string name) =>
        All().Concat(SparseFeasible()).Concat(Large()).FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Pressure vessel, continuous form (Kannan and Kramer 1994; Coello 2000): minimise material, forming and welding
    /// cost of a cylindrical vessel with hemispherical heads. x = (Ts, Th, R, L) in inches; 4 constraints.
    /// Best known f* = 5885.332774 at (0.7781686, 0.3846492, 40.3196187, 200).
    /// </summary>
    public static FunctionProblem PressureVessel() => new(
        "pressure-vessel",
        new DesignSpace([new("ts", 0, 99), new("th", 0, 99), new("r", 10, 200), new("l", 10, 200)]),
        new MetricInfo("cost", 6000),
        [new("shell", 1), new("head", 1), new("volume", 1296000), new("length", 240)],
        static (x, g) =>
        {
            double ts = x[0], th = x[1], r = x[2], l = x[3];
            // g1, g2 are thickness minus the minimum the ASME code requires for radius r; scale 1 inch.
            g[0] = -ts + (0.0193 * r);
            g[1] = -th + (0.00954 * r);
            g[2] = (-Math.PI * r * r * l) - (4.0 / 3.0 * Math.PI * r * r * r) + 1296000;
            g[3] = l - 240;
            return (0.6224 * ts * r * l) + (1.7781 * th * r * r) + (3.1661 * ts * ts * l) + (19.84 * ts * ts * r);
        },
        new KnownOptimum(5885.332774, [0.7781686, 0.3846492, 40.3196187, 200], "Coello 2000 continuous form; e.g. Gandomi, Yang, Alavi, Eng. Comput. 2013"));

    /// <summary>
    /// Welded beam (Ragsdell and Phillips 1976; Coello 2000, 7 constraints): minimise fabrication cost of a beam welded
    /// to a wall under load P = 6000 lb. x = (h, l, t, b) in inches. Best known f* = 1.724852 at
    /// (0.205730, 3.470489, 9.036624, 0.205730).
    /// </summary>
    public static FunctionProblem WeldedBeam() => new(
        "welded-beam",
        new DesignSpace([new("h", 0.1, 2), new("l", 0.1, 10), new("t", 0.1, 10), new("b", 0.1, 2)]),
        new MetricInfo("cost", 1.7),
        [new("shear", 13600), new("bending", 30000), new("h_le_b", 1), new("cost_cap", 5), new("h_min", 0.125), new("deflection", 0.25), new("buckling", 6000)],
        static (x, g) =>
        {
            const double p = 6000, len = 14, e = 30e6, gm = 12e6;
            double h = x[0], l = x[1], t = x[2], b = x[3];
            double tau1 = p / (Math.Sqrt(2) * h * l);
            double m = p * (len + (l / 2));
            double s = (h + t) / 2;
            double r = Math.Sqrt((l * l / 4) + (s * s));
            double j = 2 * Math.Sqrt(2) * h * l * ((l * l / 12) + (s * s));
            double tau2 = m * r / j;
            double tau = Math.Sqrt((tau1 * tau1) + (2 * tau1 * tau2 * l / (2 * r)) + (tau2 * tau2));
            double sigma = 6 * p * len / (b * t * t);
            double delta = 4 * p * len * len * len / (e * t * t * t * b);
            double pc = 4.013 * e * Math.Sqrt(t * t * Math.Pow(b, 6) / 36) / (len * len) * (1 - (t / (2 * len) * Math.Sqrt(e / (4 * gm))));
            g[0] = tau - 13600;
            g[1] = sigma - 30000;
            g[2] = h - b;
            g[3] = (0.10471 * h * h) + (0.04811 * t * b * (14 + l)) - 5;
            g[4] = 0.125 - h;
            g[5] = delta - 0.25;
            g[6] = p - pc;
            return (1.10471 * h * h * l) + (0.04811 * t * b * (14 + l));
        },
        new KnownOptimum(1.724852, [0.205730, 3.470489, 9.036624, 0.205730], "Coello 2000; Ray and Liew 2003"));

    /// <summary>
    /// Tension/compression spring (Belegundu 1982; Arora): minimise the weight of a spring. x = (d, D, N): wire
    /// diameter, mean coil diameter, active coils. Best known f* = 0.012665233 at (0.051689061, 0.356717736, 11.288965).
    /// </summary>
    public static FunctionProblem TensionCompressionSpring() => new(
        "spring",
        new DesignSpace([new("d", 0.05, 2), new("dc", 0.25, 1.3), new("n", 2, 15)]),
        new MetricInfo("weight", 0.0127),
        [new("deflection", 1), new("shear", 1), new("surge", 1), new("diameter", 1)],
        static (x, g) =>
        {
            double d = x[0], dc = x[1], n = x[2];
            // The published constraints are already ratios to their limits minus one.
            g[0] = 1 - (dc * dc * dc * n / (71785 * d * d * d * d));
            g[1] = (((4 * dc * dc) - (d * dc)) / (12566 * ((dc * d * d * d) - (d * d * d * d)))) + (1 / (5108 * d * d)) - 1;
            g[2] = 1 - (140.45 * d / (dc * dc * n));
            g[3] = ((d + dc) / 1.5) - 1;
            return (n + 2) * dc * d * d;
        },
        new KnownOptimum(0.012665233, [0.051689061, 0.356717736, 11.288965], "Coello and Mezura-Montes 2002; He and Wang 2007"));

    /// <summary>
    /// G4 of the CEC 2006 constrained suite (Liang et al. 2006, problem g04; Himmelblau's problem): 5 variables,
    /// 6 inequality constraints. f* = -30665.53867178332 at (78, 33, 29.9952560256815985, 45, 36.7758129057882073).
    /// </summary>
    public static FunctionProblem G4() => new(
        "g04",
        new DesignSpace([new("x1", 78, 102), new("x2", 33, 45), new("x3", 27, 45), new("x4", 27, 45), new("x5", 27, 45)]),
        new MetricInfo("f", 30665.5),
        [new("u_max", 92), new("u_min", 92), new("v_max", 110), new("v_min", 90), new("w_max", 25), new("w_min", 20)],
        static (x, g) =>
        {
            double u = 85.334407 + (0.0056858 * x[1] * x[4]) + (0.0006262 * x[0] * x[3]) - (0.0022053 * x[2] * x[4]);
            double v = 80.51249 + (0.0071317 * x[1] * x[4]) + (0.0029955 * x[0] * x[1]) + (0.0021813 * x[2] * x[2]);
            double w = 9.300961 + (0.0047026 * x[2] * x[4]) + (0.0012547 * x[0] * x[2]) + (0.0019085 * x[2] * x[3]);
            g[0] = u - 92;
            g[1] = -u;
            g[2] = v - 110;
            g[3] = -v + 90;
            g[4] = w - 25;
            g[5] = -w + 20;
            return (5.3578547 * x[2] * x[2]) + (0.8356891 * x[0] * x[4]) + (37.293239 * x[0]) - 40792.141;
        },
        new KnownOptimum(-30665.53867178332, [78, 33, 29.9952560256815985, 45, 36.7758129057882073], "Liang et al., CEC 2006 technical report, g04"));

    /// <summary>
    /// G6 of the CEC 2006 constrained suite (problem g06): 2 variables, 2 inequality constraints; the feasible region
    /// is a thin crescent (about 0.0066 % of the box). f* = -6961.81387558015 at (14.095, 0.8429607892154795668).
    /// </summary>
    public static FunctionProblem G6() => new(
        "g06",
        new DesignSpace([new("x1", 13, 100), new("x2", 0, 100)]),
        new MetricInfo("f", 6961.8),
        [new("outside", 100), new("inside", 82.81)],
        static (x, g) =>
        {
            double a = x[0] - 10, b = x[1] - 20;
            g[0] = -((x[0] - 5) * (x[0] - 5)) - ((x[1] - 5) * (x[1] - 5)) + 100;
            g[1] = ((x[0] - 6) * (x[0] - 6)) + ((x[1] - 5) * (x[1] - 5)) - 82.81;
            return (a * a * a) + (b * b * b);
        },
        new KnownOptimum(-6961.81387558015, [14.09500000000000064, 0.8429607892154795668], "Liang et al., CEC 2006 technical report, g06"));

    /// <summary>
    /// G1 of the CEC 2006 suite (problem g01): 13 variables, 9 linear inequality constraints, a quadratic objective.
    /// f* = -15 at (1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 1), where g1-g3 and g7-g9 are active. Scales: g1-g3 their
    /// limit 10; g4-g9 (limit 0) 10 as well, the size of x10-x12 at the optimum's neighbourhood and of g1-g3's terms.
    /// </summary>
    public static FunctionProblem G1() => new(
        "g01",
        new DesignSpace([.. Enumerable.Range(1, 13).Select(i => new DesignVariable($"x{i}", 0, i is >= 10 and <= 12 ? 100 : 1))]),
        new MetricInfo("f", 15),
        [.. Enumerable.Range(1, 9).Select(i => new MetricInfo($"g{i}", 10))],
        static (x, g) =>
        {
            g[0] = (2 * x[0]) + (2 * x[1]) + x[9] + x[10] - 10;
            g[1] = (2 * x[0]) + (2 * x[2]) + x[9] + x[11] - 10;
            g[2] = (2 * x[1]) + (2 * x[2]) + x[10] + x[11] - 10;
            g[3] = (-8 * x[0]) + x[9];
            g[4] = (-8 * x[1]) + x[10];
            g[5] = (-8 * x[2]) + x[11];
            g[6] = (-2 * x[3]) - x[4] + x[9];
            g[7] = (-2 * x[5]) - x[6] + x[10];
            g[8] = (-2 * x[7]) - x[8] + x[11];
            double linear = 0, square = 0, rest = 0;
            for (int i = 0; i < 4; i++)
            {
                linear += x[i];
                square += x[i] * x[i];
            }

            for (int i = 4; i < 13; i++)
            {
                rest += x[i];
            }

            return (5 * linear) - (5 * square) - rest;
        },
        new KnownOptimum(-15, [1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 1], "Liang et al., CEC 2006 technical report, g01"));

    /// <summary>
    /// G7 of the CEC 2006 suite (problem g07): 10 variables in [-10, 10], 3 linear and 5 nonlinear inequality
    /// constraints, six active at the optimum (g1-g6). f* = 24.3062090681 (the report's point gives 24.30620906818).
    /// Scales: a constraint's constant term where it has one (105, 12, 120, 40, 30), otherwise 100, the size of its
    /// terms over the box.
    /// </summary>
    public static FunctionProblem G7() => new(
        "g07",
        new DesignSpace([.. Enumerable.Range(1, 10).Select(i => new DesignVariable($"x{i}", -10, 10))]),
        new MetricInfo("f", 24.3),
        [new("g1", 105), new("g2", 100), new("g3", 12), new("g4", 120), new("g5", 40), new("g6", 100), new("g7", 30), new("g8", 100)],
        static (x, g) =>
        {
            double x1 = x[0], x2 = x[1], x3 = x[2], x4 = x[3], x5 = x[4], x6 = x[5], x7 = x[6], x8 = x[7], x9 = x[8], x10 = x[9];
            g[0] = -105 + (4 * x1) + (5 * x2) - (3 * x7) + (9 * x8);
            g[1] = (10 * x1) - (8 * x2) - (17 * x7) + (2 * x8);
            g[2] = (-8 * x1) + (2 * x2) + (5 * x9) - (2 * x10) - 12;
            g[3] = (3 * (x1 - 2) * (x1 - 2)) + (4 * (x2 - 3) * (x2 - 3)) + (2 * x3 * x3) - (7 * x4) - 120;
            g[4] = (5 * x1 * x1) + (8 * x2) + ((x3 - 6) * (x3 - 6)) - (2 * x4) - 40;
            g[5] = (x1 * x1) + (2 * (x2 - 2) * (x2 - 2)) - (2 * x1 * x2) + (14 * x5) - (6 * x6);
            g[6] = (0.5 * (x1 - 8) * (x1 - 8)) + (2 * (x2 - 4) * (x2 - 4)) + (3 * x5 * x5) - x6 - 30;
            g[7] = (-3 * x1) + (6 * x2) + (12 * (x9 - 8) * (x9 - 8)) - (7 * x10);
            return (x1 * x1) + (x2 * x2) + (x1 * x2) - (14 * x1) - (16 * x2) + ((x3 - 10) * (x3 - 10))
                + (4 * (x4 - 5) * (x4 - 5)) + ((x5 - 3) * (x5 - 3)) + (2 * (x6 - 1) * (x6 - 1)) + (5 * x7 * x7)
                + (7 * (x8 - 11) * (x8 - 11)) + (2 * (x9 - 10) * (x9 - 10)) + ((x10 - 7) * (x10 - 7)) + 45;
        },
        new KnownOptimum(
            24.30620906818,
            [2.17199634142692, 2.3636830416034, 8.77392573913157, 5.09598443745173, 0.990654756560493, 1.43057392853463, 1.32164415364306, 9.82872576524495, 8.2800915887356, 8.3759266477347],
            "Liang et al., CEC 2006 technical report, g07"));

    /// <summary>
    /// G9 of the CEC 2006 suite (problem g09): 7 variables in [-10, 10], 4 nonlinear inequality constraints, g1 and g4
    /// active at the optimum. f* = 680.630057374402. Scales: the constant terms 127, 282, 196; g4 (limit 0) 100.
    /// </summary>
    public static FunctionProblem G9() => new(
        "g09",
        new DesignSpace([.. Enumerable.Range(1, 7).Select(i => new DesignVariable($"x{i}", -10, 10))]),
        new MetricInfo("f", 680.6),
        [new("g1", 127), new("g2", 282), new("g3", 196), new("g4", 100)],
        static (x, g) =>
        {
            double x1 = x[0], x2 = x[1], x3 = x[2], x4 = x[3], x5 = x[4], x6 = x[5], x7 = x[6];
            double x2Squared = x2 * x2, x3Squared = x3 * x3;
            g[0] = -127 + (2 * x1 * x1) + (3 * x2Squared * x2Squared) + x3 + (4 * x4 * x4) + (5 * x5);
            g[1] = -282 + (7 * x1) + (3 * x2) + (10 * x3Squared) + x4 - x5;
            g[2] = -196 + (23 * x1) + x2Squared + (6 * x6 * x6) - (8 * x7);
            g[3] = (4 * x1 * x1) + x2Squared - (3 * x1 * x2) + (2 * x3Squared) + (5 * x6) - (11 * x7);
            double x5Cubed = x5 * x5 * x5, x7Squared = x7 * x7;
            return ((x1 - 10) * (x1 - 10)) + (5 * (x2 - 12) * (x2 - 12)) + (x3Squared * x3Squared) + (3 * (x4 - 11) * (x4 - 11))
                + (10 * x5Cubed * x5Cubed) + (7 * x6 * x6) + (x7Squared * x7Squared) - (4 * x6 * x7) - (10 * x6) - (8 * x7);
        },
        new KnownOptimum(
            680.630057374402,
            [2.33049935147405174, 1.95137236847114592, -0.477541399510615805, 4.36572624923625874, -0.624486959100388983, 1.03813099410962173, 1.5942266780671519],
            "Liang et al., CEC 2006 technical report, g09"));

    /// <summary>
    /// G10 of the CEC 2006 suite (problem g10): 8 variables spanning two decades, 3 linear and 3 nonlinear inequality
    /// constraints, all six active at the optimum; badly scaled (g4-g6 are of order 10^5-10^6). f* = 7049.24802052867.
    /// Scales: g1-g3 are written relative already (1); g4 its constant 83333.333; g5 and g6 1250000, g6's constant.
    /// </summary>
    public static FunctionProblem G10() => new(
        "g10",
        new DesignSpace(
        [
            new("x1", 100, 10000), new("x2", 1000, 10000), new("x3", 1000, 10000),
            .. Enumerable.Range(4, 5).Select(i => new DesignVariable($"x{i}", 10, 1000)),
        ]),
        new MetricInfo("f", 7049.2),
        [new("g1", 1), new("g2", 1), new("g3", 1), new("g4", 83333.333), new("g5", 1250000), new("g6", 1250000)],
        static (x, g) =>
        {
            double x1 = x[0], x2 = x[1], x3 = x[2], x4 = x[3], x5 = x[4], x6 = x[5], x7 = x[6], x8 = x[7];
            g[0] = -1 + (0.0025 * (x4 + x6));
            g[1] = -1 + (0.0025 * (x5 + x7 - x4));
            g[2] = -1 + (0.01 * (x8 - x5));
            g[3] = (-x1 * x6) + (833.33252 * x4) + (100 * x1) - 83333.333;
            g[4] = (-x2 * x7) + (1250 * x5) + (x2 * x4) - (1250 * x4);
            g[5] = (-x3 * x8) + 1250000 + (x3 * x5) - (2500 * x5);
            return x1 + x2 + x3;
        },
        new KnownOptimum(
            7049.24802052867,
            [579.306685017979589, 1359.97067807935605, 5109.97065743133317, 182.01769963061534, 295.601173702746792, 217.982300369384632, 286.41652592786852, 395.601173702746735],
            "Liang et al., CEC 2006 technical report, g10"));

    /// <summary>
    /// Branin-Hoo on [-5, 10] x [0, 15]: three global minima, f* = 5/(4 pi) = 0.397887 at (-pi, 12.275), (pi, 2.275),
    /// (9.42478, 2.475) (Dixon and Szego 1978).
    /// </summary>
    public static FunctionProblem Branin() => new(
        "branin",
        new DesignSpace([new("x1", -5, 10), new("x2", 0, 15)]),
        new MetricInfo("f", 1),
        [],
        static (x, _) =>
        {
            const double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
            double q = x[1] - (b * x[0] * x[0]) + (c * x[0]) - 6;
            return (q * q) + (10 * (1 - t) * Math.Cos(x[0])) + 10;
        },
        new KnownOptimum(5 / (4 * Math.PI), [Math.PI, 2.275], "Dixon and Szego 1978", SuccessThreshold: 0.41));

    private static readonly double[] HartmannAlpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] HartmannA =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] HartmannP =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    /// <summary>
    /// Hartmann-6 on [0, 1]^6 (Dixon and Szego 1978): f* = -3.32237 at (0.20169, 0.150011, 0.476874, 0.275332,
    /// 0.311652, 0.6573).
    /// </summary>
    public static FunctionProblem Hartmann6() => new(
        "hartmann6",
        new DesignSpace(Enumerable.Range(1, 6).Select(i => new DesignVariable($"x{i}", 0, 1))),
        new MetricInfo("f", 3.32237),
        [],
        static (x, _) =>
        {
            double sum = 0;
            for (int i = 0; i < 4; i++)
            {
                double inner = 0;
                for (int j = 0; j < 6; j++)
                {
                    double dx = x[j] - HartmannP[i, j];
                    inner += HartmannA[i, j] * dx * dx;
                }

                sum += HartmannAlpha[i] * Math.Exp(-inner);
            }

            return -sum;
        },
        new KnownOptimum(-3.32237, [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573], "Dixon and Szego 1978; Surjanovic and Bingham, Virtual Library of Simulation Experiments", SuccessThreshold: -3.0));

    /// <summary>
    /// Ackley on [-32.768, 32.768]^d (a = 20, b = 0.2, c = 2 pi; Ackley 1987): f* = 0 at the origin.
    /// </summary>
    public static FunctionProblem Ackley(int dimension) => new(
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ackley{dimension}"),
        new DesignSpace(Enumerable.Range(1, dimension).Select(i => new DesignVariable($"x{i}", -32.768, 32.768))),
        new MetricInfo("f", 1),
        [],
        static (x, _) =>
        {
            double s1 = 0, s2 = 0;
            foreach (double xi in x)
            {
                s1 += xi * xi;
                s2 += Math.Cos(2 * Math.PI * xi);
            }

            int n = x.Length;
            return (-20 * Math.Exp(-0.2 * Math.Sqrt(s1 / n))) - Math.Exp(s2 / n) + 20 + Math.E;
        },
        new KnownOptimum(0, new double[dimension], "Ackley 1987; Surjanovic and Bingham, Virtual Library of Simulation Experiments", SuccessThreshold: 1.0));

    /// <summary>
    /// Rosenbrock on [-5, 10]^d (Rosenbrock 1960): f* = 0 at (1, ..., 1).
    /// </summary>
    public static FunctionProblem Rosenbrock(int dimension) => new(
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"rosenbrock{dimension}"),
        new DesignSpace(Enumerable.Range(1, dimension).Select(i => new DesignVariable($"x{i}", -5, 10))),
        new MetricInfo("f", 1),
        [],
        static (x, _) =>
        {
            double sum = 0;
            for (int i = 0; i + 1 < x.Length; i++)
            {
                double a = x[i + 1] - (x[i] * x[i]), b = 1 - x[i];
                sum += (100 * a * a) + (b * b);
            }

            return sum;
        },
        new KnownOptimum(0, Enumerable.Repeat(1.0, dimension).ToArray(), "Rosenbrock 1960; Surjanovic and Bingham, Virtual Library of Simulation Experiments", SuccessThreshold: 10.0));
}
