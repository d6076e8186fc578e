using System.Globalization;
using DnnOpt.Optimization;
using DnnOpt.Optimization.ActorCritic;
using DnnOpt.Sizing.Benchmarks;
using Xunit.Abstractions;

namespace DnnOpt.Sizing.Tests.Benchmarks;

/// <summary>
/// The ota5-dc benchmark: its reference design is feasible, its operating point agrees with ngspice 39 (stored CSV,
/// re-checked live) and with square-law hand analysis, its difficulty is what the README states, and DNN-Opt sizes it.
/// </summary>
public sealed class Ota5DcTests(ITestOutputHelper output)
{
    private const string CsvName = "ota5-dc.csv";

    // Every operating-point quantity a metric of ota5-dc is built from, plus the bias node and all saturation inputs.
    private static readonly string[] Vectors =
    [
        "v(out)", "v(x)", "v(tail)", "v(bias)", "i(vdd)",
        "@m1[gm]", "@m2[gds]", "@m4[gds]", "@m5[id]", "@m6[id]",
        "@m1[vds]", "@m1[vdsat]", "@m2[vds]", "@m2[vdsat]", "@m3[vds]", "@m3[vdsat]",
        "@m4[vds]", "@m4[vdsat]", "@m5[vds]", "@m5[vdsat]", "@m6[vds]", "@m6[vdsat]",
    ];

    private static BuiltinBenchmark Benchmark => BuiltinBenchmarks.TryGet("ota5-dc", out BuiltinBenchmark? b) ? b : throw new InvalidOperationException("ota5-dc missing");

    [Fact]
    public void Reference_design_is_the_deck_default_and_is_feasible()
    {
        CircuitProblem problem = Benchmark.CreateProblem();
        double[] x = [.. Benchmark.ReferenceDesign];
        Measurement m = problem.Measure(x);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        Assert.True(m.Evaluation.IsFeasible, string.Join("; ", problem.Outcomes(m.Values).Where(o => !o.Met)));

        // The committed .param defaults of the deck are the reference design (so the stored ngspice run is of it).
        var deck = Spice.Circuits.Circuit.Parse(Benchmark.Definition.Decks[0].Text);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i], deck.GetParameter(problem.Space[i].Name), 1e-18);
        }
        foreach (SpecOutcome o in problem.Outcomes(m.Values))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{o.Metric} {o.Relation} {o.Bound:G6}: {o.Value:G8} (margin {o.Margin:G4})"));
        }
    }

    [Fact]
    public void Reference_design_metrics_match_stored_ngspice_operating_point()
    {
        Ngspice.Table reference = Ngspice.ReadCsv(Path.Combine(Ngspice.OutputDirectory, CsvName));
        Assert.Equal(Vectors, reference.Vectors);
        Measurement m = Benchmark.CreateProblem().Measure([.. Benchmark.ReferenceDesign]);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);

        // Metrics read straight from the operating point: the tolerance the Spice corpus meets (1e-6 V absolute or
        // 1e-6 relative for voltages; 1e-6 relative + 1e-12 for currents and conductances).
        Near(reference["v(out)"], m["vout"], "vout", voltage: true);
        Near(reference["v(tail)"], m["vtail"], "vtail", voltage: true);
        Near(reference["i(vdd)"], m["ivdd"], "ivdd");
        Near(reference["@m1[gm]"], m["gm1"], "gm1");
        Near(reference["@m2[gds]"], m["gds2"], "gds2");
        Near(reference["@m4[gds]"], m["gds4"], "gds4");
        Near(reference["@m5[id]"], m["id5"], "id5");

        // Derived metrics computed from ngspice's numbers with the benchmark's formulas.
        double vdd = 1.8, cl = 1e-12;
        double gain = reference["@m1[gm]"] / (reference["@m2[gds]"] + reference["@m4[gds]"]);
        Near(-vdd * reference["i(vdd)"], m["power"], "power");
        Near(gain, m["gain"], "gain");
        Near(20 * Math.Log10(gain), m["gain_db"], "gain_db");
        Near(reference["@m1[gm]"] / (2 * Math.PI * cl), m["gbw"], "gbw");
        Near(reference["@m5[id]"] / cl, m["slew"], "slew");
        foreach (string d in new[] { "m1", "m2", "m3", "m4", "m5", "m6" })
        {
            double sat = reference[$"@{d}[vds]"] - Math.Abs(reference[$"@{d}[vdsat]"]);
            Near(sat, m["sat_" + d], "sat_" + d, voltage: true);
        }
    }

    [Fact]
    public void Stored_reference_is_what_ngspice_produces()
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        Ngspice.Table live = Ngspice.OperatingPoint(exe!, Benchmark.Definition.Decks[0].Text, Vectors);
        if (Environment.GetEnvironmentVariable(Ngspice.RegenerateVariable) == "1")
        {
            string target = Path.Combine(Ngspice.SourceDirectory(), CsvName);
            Ngspice.WriteCsv(target, "ota5-dc.cir as embedded in DnnOpt.Sizing (src/DnnOpt.Sizing/Benchmarks/ota5-dc.cir), reference design = its .param defaults", NgspiceProcess.Version(exe!), live);
            output.WriteLine($"wrote {target}");
            return;
        }

        Ngspice.Table stored = Ngspice.ReadCsv(Path.Combine(Ngspice.OutputDirectory, CsvName));
        Assert.Equal(stored.Vectors, live.Vectors);
        for (int i = 0; i < stored.Values.Length; i++)
        {
            // Same program, same deck: only the last printed digit may differ across builds.
            Tolerance.Close(stored.Values[i], live.Values[i], 1e-12, 1e-300, stored.Vectors[i]);
        }
    }

    /// <summary>
    /// Beyond the reference design: random designs written into the deck (as <c>dnnopt size</c> writes the best one)
    /// and run by ngspice give the operating-point metrics the problem measured, to the same tolerance.
    /// </summary>
    [Fact]
    public void Random_designs_match_ngspice_through_the_substituted_deck()
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        CircuitProblem problem = Benchmark.CreateProblem();
        var random = new Random(11);
        string[] vectors = ["v(out)", "v(tail)", "i(vdd)", "@m1[gm]", "@m2[gds]", "@m4[gds]", "@m5[id]"];
        string[] metrics = ["vout", "vtail", "ivdd", "gm1", "gds2", "gds4", "id5"];
        for (int k = 0; k < 6; k++)
        {
            double[] x = problem.Space.ToPhysical([.. Enumerable.Range(0, problem.Space.Dimension).Select(_ => random.NextDouble())]);
            Measurement m = problem.Measure(x);
            Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
            Ngspice.Table live = Ngspice.OperatingPoint(exe!, Benchmark.Definition.DecksWithValues(x)[0].Text, vectors);
            for (int i = 0; i < vectors.Length; i++)
            {
                Near(live.Values[i], m[metrics[i]], $"design {k} {metrics[i]}", voltage: vectors[i].StartsWith("v(", StringComparison.Ordinal));
            }
        }
    }

    /// <summary>
    /// Square law (Shichman-Hodges, level 1) for the diode-connected m6 carrying ibias with its source and bulk at
    /// ground (no body effect): ibias = kp/2 · W/L · (vgs - vto)² · (1 + λ·vgs), λ = lamn/L; solved for vgs by bisection.
    /// The tail m5 shares vgs, so id5 = n5 · ibias · (1 + λ·vds5) / (1 + λ·vgs).
    /// </summary>
    [Fact]
    public void Bias_mirror_follows_the_square_law()
    {
        double w = 10e-6, l = 1e-6, kp = 200e-6, vto = 0.45, lambda = 0.08e-6 / l, ibias = 10e-6, n5 = 2;
        double Current(double vgs) => kp / 2 * (w / l) * (vgs - vto) * (vgs - vto) * (1 + (lambda * vgs));
        double lo = vto, hi = 1.8;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            (lo, hi) = Current(mid) < ibias ? (mid, hi) : (lo, mid);
        }

        double vgs6 = 0.5 * (lo + hi);
        Ngspice.Table reference = Ngspice.ReadCsv(Path.Combine(Ngspice.OutputDirectory, CsvName));
        Tolerance.Close(vgs6, reference["v(bias)"], 1e-6, 0, "v(bias) (ngspice) vs square law");
        Measurement m = Benchmark.CreateProblem().Measure([.. Benchmark.ReferenceDesign]);
        double vds5 = m["vtail"];
        double id5 = n5 * ibias * (1 + (lambda * vds5)) / (1 + (lambda * vgs6));
        Tolerance.Close(id5, m["id5"], 1e-6, 0, "id5 vs square-law mirror");
        Tolerance.Close(ibias + id5, -m["ivdd"], 1e-6, 0, "supply current = ibias + tail current");
    }

    /// <summary>
    /// Difficulty: the fraction of feasible designs among uniformly random designs (unit cube, seeded). The README
    /// quotes 125 of 10,000 (1.25 %, seed 1); this test is that measurement (about 3 s: 0.3 ms per design).
    /// </summary>
    [Fact]
    public void Difficulty_is_as_documented()
    {
        CircuitProblem problem = Benchmark.CreateProblem();
        var random = new Random(1);
        var u = new double[problem.Space.Dimension];
        int feasible = 0, failed = 0;
        const int n = 10_000;
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < u.Length; j++)
            {
                u[j] = random.NextDouble();
            }

            Evaluation e = problem.Evaluate(problem.Space.ToPhysical(u));
            feasible += e.IsFeasible ? 1 : 0;
            failed += e.Succeeded ? 0 : 1;
        }

        output.WriteLine($"{feasible} feasible, {failed} failed of {n}");
        Assert.Equal(0, failed);
        Assert.Equal(125, feasible);
    }

    [Fact]
    public void Dnnopt_finds_a_feasible_design_within_a_small_budget()
    {
        CircuitProblem problem = Benchmark.CreateProblem();
        // Smaller networks and fewer steps than the defaults keep this test at about a second.
        var options = new DnnOptOptions { CriticHidden = [64, 64], ActorHidden = [64, 64], CriticSteps = 100, CriticBatch = 128, ActorSteps = 60 };
        RunResult r = new OptimizationRunner().Run(problem, new DnnOptimizer(options), new RunOptions { Budget = 40 }, new Random(2));
        output.WriteLine($"first feasible at {r.FirstFeasibleEvaluation}, best power {r.BestFeasible?.Evaluation.Objective}");
        Assert.Equal(40, r.Evaluations);
        Assert.NotNull(r.BestFeasible);
        Assert.All(r.Observations, o => Assert.True(o.Evaluation.Succeeded, o.Evaluation.FailureReason));
    }

    private static void Near(double expected, double actual, string what, bool voltage = false)
    {
        if (voltage && Tolerance.Within(actual, expected, 0, 1e-6))
        {
            return;
        }

        Tolerance.Close(expected, actual, 1e-6, voltage ? 0 : 1e-12, what);
    }
}
