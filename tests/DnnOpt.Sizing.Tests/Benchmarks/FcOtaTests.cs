using System.Globalization;
using System.Text.RegularExpressions;
using DnnOpt.Optimization;
using DnnOpt.Sizing.Benchmarks;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Measurements;
using Xunit.Abstractions;

namespace DnnOpt.Sizing.Tests.Benchmarks;

/// <summary>
/// The fc-ota built-in (the paper's folded-cascode OTA, issue 7 benchmark 1): the problem has the paper's shape, the
/// closed-loop step deck measures what ngspice 39.3 measures on the same deck, the reference design is feasible
/// in-process and every metric agrees with ngspice (stored in Reference/fc-ota.csv, re-checked live), the output-noise
/// band leaves out the testbench's bias resistors, and broken designs fail with the measure named.
/// </summary>
public sealed class FcOtaTests(ITestOutputHelper output)
{
    private const string CsvName = "fc-ota.csv";

    // The saturation-checked devices of the paper (M1, M3, M4, M7, M9, M10, M12, M13, M15-M26), in instance x1.
    private static readonly string[] SaturationDevices =
        ["m1", "m3", "m4", "m7", "m9", "m10", "m12", "m13", .. Enumerable.Range(15, 12).Select(i => "m" + i.ToString(CultureInfo.InvariantCulture))];

    private static readonly BuiltinBenchmark Benchmark = BuiltinBenchmarks.All.Single(b => b.Name == "fc-ota");

    private static string StoredCsv => Path.Combine(Ngspice.OutputDirectory, CsvName);

    [Fact]
    public void The_problem_has_the_papers_variables_and_constraints()
    {
        SizingProblemDefinitionCheck(Benchmark.Definition);
        Assert.Equal(20, Benchmark.ReferenceDesign.Count);
    }

    /// <summary>
    /// The transient testbench alone: the extremes of the differential output from 30 ns after the step on and its final
    /// value agree with ngspice's printed .measure results for the reference design, and give its specs.
    /// </summary>
    [Fact]
    public void Closed_loop_step_matches_ngspice()
    {
        Ngspice.Table reference = Ngspice.ReadCsv(StoredCsv);
        MeasureResults m = RunDeck(Benchmark.Definition.Decks[1].Parse());
        foreach (string name in new[] { "vmax_settled", "vmin_settled", "vfinal" })
        {
            Assert.True(m.TryGetValue(name, out double v), name);
            output.WriteLine($"{name}: {v:R} (ngspice {reference[name]:R})");

            // min/max take the first time point at or after 40 ns (no interpolation, as ngspice), where the output
            // still moves by about 0.3 mV/ns: 0.1 mV (1/80 of the 1 % band) covers time points a few ps apart.
            Tolerance.Close(reference[name], v, 0, 1e-4, name);
        }

        Tolerance.Close(reference["vfinal"], m["vfinal"].Value, 1e-5, 0, "vfinal (settled: ngspice's 7 digits)");

        double settlingError = 100 * Math.Max(m["vmax_settled"].Value - 0.8, 0.8 - m["vmin_settled"].Value) / 0.8;
        double error = 100 * Math.Abs(m["vfinal"].Value - 0.8) / 0.8;
        Assert.InRange(settlingError, 0, 1);
        Assert.InRange(error, 0, 0.1);
    }

    /// <summary>
    /// The noise testbench alone: the closed-loop differential output noise integrated from 100 kHz to 1 GHz agrees with
    /// ngspice 39.3's onoise_total on the same deck (ngspice has no .meas noise; its oracle is the printed total).
    /// </summary>
    [Fact]
    public void Closed_loop_output_noise_matches_ngspice()
    {
        Ngspice.Table reference = Ngspice.ReadCsv(StoredCsv);
        MeasureResults m = RunDeck(Benchmark.Definition.Decks[2].Parse());
        Assert.True(m.TryGetValue("onoise", out double onoise), "onoise");
        output.WriteLine($"onoise: {onoise:R} V rms (ngspice onoise_total {reference["onoise_total"]:R})");
        Tolerance.Close(reference["onoise_total"], onoise, 1e-5, 0, "onoise (ngspice prints 7 digits)");
        Assert.InRange(onoise, 0, 30e-3);
    }

    /// <summary>
    /// The output-noise band (100 kHz-1 GHz) measures the amplifier, not the testbench: with the four 1 GOhm bias
    /// resistors made 1000 times larger (their noise density falls as 1/R above their corner, and the corner moves
    /// below 2 Hz) the integrated noise changes by under 2 %, even at the smallest cf (0.1 pF, corner 1.6 kHz) where
    /// a band starting at 1 Hz would be dominated by them (ngspice: 0.49 mV against 0.28 mV without them).
    /// </summary>
    [Theory]
    [InlineData(0.1e-12)]
    [InlineData(10e-12)]
    public void Output_noise_band_leaves_out_the_bias_resistors(double cf)
    {
        double[] x = [.. Benchmark.ReferenceDesign];
        x[Index("cf")] = cf;
        DeckDefinition deck = Benchmark.Definition.DecksWithValues(x)[2];
        string quiet = Regex.Replace(deck.Text, @"^(r(sp|fp|sn|fn) \S+ \S+) 1g$", "$1 1t", RegexOptions.Multiline);
        Assert.Equal(4, Regex.Count(quiet, @" 1t$", RegexOptions.Multiline));
        double with = RunDeck(deck.Parse())["onoise"].Value;
        double without = RunDeck((deck with { Text = quiet }).Parse())["onoise"].Value;
        output.WriteLine($"cf {cf:G3}: onoise {with:G6} V, with the bias resistors 1000 times larger {without:G6} V");
        Tolerance.Close(without, with, 0.02, 0, "onoise with and without the bias resistors' noise");
    }

    /// <summary>A first stage with almost no tail current (n1 = 1, w2 at its minimum) is measured as far from settled.</summary>
    [Fact]
    public void A_starved_amplifier_is_measured_unsettled()
    {
        double[] x = [.. Benchmark.ReferenceDesign];
        x[Index("w2")] = 0.24e-6;
        x[Index("n1")] = 1;
        MeasureResults m = RunDeck(Benchmark.Definition.DecksWithValues(x)[1].Parse());
        Assert.True(m.TryGetValue("vmin_settled", out double vmin));
        output.WriteLine($"vmin_settled {vmin:R}");
        Assert.True(vmin < 0.792, $"vmin_settled {vmin} should be below the band");
    }

    [Fact]
    public void Reference_design_is_feasible_and_matches_ngspice()
    {
        using CircuitProblem problem = Benchmark.CreateProblem();
        Measurement m = problem.Measure([.. Benchmark.ReferenceDesign]);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        foreach (SpecOutcome o in problem.Outcomes(m.Values))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{o.Metric} {o.Relation} {o.Bound:G6}: {o.Value:G8} (margin {o.Margin:G4})"));
        }

        Assert.True(m.Evaluation.IsFeasible, string.Join("; ", problem.Outcomes(m.Values).Where(o => !o.Met)));
        Ngspice.Table reference = Ngspice.ReadCsv(StoredCsv);
        foreach (string name in new[] { "gain_db", "ugf", "phase_ugf", "cm_gain_db", "ps_gain_db", "vmax_settled", "vmin_settled", "vfinal" })
        {
            Tolerance.Close(reference[name], m[name], 1e-4, 1e-4, name);
        }

        Tolerance.Close(reference["onoise_total"], m["onoise"], 1e-5, 0, "onoise");

        Tolerance.Close(reference["ivdd1"], m["ivdd"], 1e-5, 0, "ivdd");
        Tolerance.Close(reference["vdsat_m15"], m["vdsat15"], 1e-5, 0, "vdsat15");
        Tolerance.Close(reference["vdsat_m17"], m["vdsat17"], 1e-5, 0, "vdsat17");
        foreach (string d in SaturationDevices)
        {
            double margin = reference["vds_" + d] - Math.Abs(reference["vdsat_" + d]);
            Tolerance.Close(margin, m["sat_m_x1_" + d], 1e-5, 1e-6, "saturation margin of " + d);
        }
    }

    /// <summary>
    /// A design with a dead output stage (the first random design of a seed-1 DNN-Opt run: open-loop gain about -55 dB)
    /// has no unity-gain frequency: the evaluation fails and names the measure that could not be taken.
    /// </summary>
    [Fact]
    public void A_design_without_gain_fails_the_evaluation_with_the_measure_named()
    {
        using CircuitProblem problem = Benchmark.CreateProblem();
        double[] x =
        [
            1.1138992501138241E-06, 8.55883390846375E-07, 3.931745913122662E-07, 8.705412608513335E-07, 3.4580916412398644E-07, 1.7795052618202777E-06, 8.040732800567398E-07,
            1.920623231745801E-05, 8.369931076219831E-05, 2.1909693683433205E-05, 9.961695476186318E-06, 0.00012493444592776452, 2.2717754713437405E-05, 5.1065032103572506E-05,
            7, 18, 6, 20, 1.3512844884215315E-12, 2.659558347455253E-12,
        ];
        Measurement m = problem.Measure(x);
        output.WriteLine(m.Evaluation.FailureReason);
        Assert.False(m.Evaluation.Succeeded);
        Assert.Contains("when vdb(od1)=0 is never met", m.Evaluation.FailureReason, StringComparison.Ordinal);
        Assert.True(m["gain_db"] < 0, $"gain {m["gain_db"]} dB");
    }

    /// <summary>
    /// ngspice 39.3 on the embedded decks: the .measure results of the AC and step testbenches, the noise testbench's
    /// printed onoise_total, and the operating point of the AC deck's instance x1 (supply current, the vds/vdsat of every saturation-checked device).
    /// </summary>
    [Fact]
    public void Stored_reference_is_what_ngspice_prints()
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        Ngspice.Table ac = Ngspice.Measures(exe!, Benchmark.Definition.Decks[0].Text, Benchmark.IncludedFiles);
        Ngspice.Table tran = Ngspice.Measures(exe!, Benchmark.Definition.Decks[1].Text, Benchmark.IncludedFiles);
        Ngspice.Table noise = Ngspice.Measures(exe!, Benchmark.Definition.Decks[2].Text, Benchmark.IncludedFiles, ["print onoise_total"]);
        Ngspice.Table op = Ngspice.Measures(exe!, OperatingPointDeck(Benchmark.Definition.Decks[0].Text), Benchmark.IncludedFiles);
        var live = new Ngspice.Table([.. ac.Vectors, .. tran.Vectors, .. noise.Vectors, .. op.Vectors], [.. ac.Values, .. tran.Values, .. noise.Values, .. op.Values]);
        if (Environment.GetEnvironmentVariable(Ngspice.RegenerateVariable) == "1")
        {
            Ngspice.WriteCsv(Path.Combine(Ngspice.SourceDirectory(), CsvName), "fc-ota_ac.cir, fc-ota_tran.cir and fc-ota_noise.cir as embedded in DnnOpt.Sizing, reference design = their .param defaults; .measure results and the noise deck's onoise_total (ngspice 39 rejects its .meas noise line), then the AC deck's operating point (ivdd1, vds_/vdsat_ of x1's devices)", NgspiceProcess.Version(exe!), live, "ngspice -b <deck + .control: run, quit (noise deck: run, print onoise_total, quit)> printed lines; operating point: .control op, let, print");
            return;
        }

        Ngspice.Table stored = Ngspice.ReadCsv(StoredCsv);
        Assert.Equal(stored.Vectors, live.Vectors);
        for (int i = 0; i < stored.Values.Length; i++)
        {
            Tolerance.Close(stored.Values[i], live.Values[i], 1e-9, 0, stored.Vectors[i]);
        }
    }

    private static void SizingProblemDefinitionCheck(SizingProblemDefinition d)
    {
        string[] names = [.. d.Variables.Select(v => v.Name)];
        string[] expected = [.. Enumerable.Range(1, 7).Select(i => "l" + i.ToString(CultureInfo.InvariantCulture)), .. Enumerable.Range(1, 7).Select(i => "w" + i.ToString(CultureInfo.InvariantCulture)), "n1", "n2", "n8", "n9", "mcap", "cf"];
        Assert.Equal(expected, names);
        Assert.All(d.Variables.Where(v => v.Name[0] == 'n'), v => Assert.Equal(VariableKind.Integer, v.Kind));
        Assert.Equal(9, d.Specs.Count);
        Assert.Contains(d.Specs, spec => spec.Metric == "onoise");
        Assert.NotNull(d.Saturation);
        Assert.Equal(SaturationDevices.Select(s => "m.x1." + s), d.Saturation!.Devices);
        Assert.Equal(0.05, d.Saturation.Margin);
    }

    private static int Index(string variable) => Benchmark.Definition.Variables.Select(v => v.Name).ToList().IndexOf(variable);

    private static MeasureResults RunDeck(Spice.Netlists.Netlist netlist)
    {
        Circuit c = Circuit.Create(netlist);
        return c.Measure(c.RunAnalyses());
    }

    /// <summary>The AC deck without its analysis and measures, printing x1's operating point as plain ngspice scalars.</summary>
    private static string OperatingPointDeck(string acDeck)
    {
        string text = Regex.Replace(acDeck, @"^\.(ac|meas)\b.*$\n?", string.Empty, RegexOptions.Multiline | RegexOptions.IgnoreCase);
        var control = new List<string> { ".control", "op", "let ivdd1 = i(vdd1)", "print ivdd1" };
        foreach (string d in SaturationDevices)
        {
            control.Add($"let vds_{d} = @m.x1.{d}[vds]");
            control.Add($"let vdsat_{d} = @m.x1.{d}[vdsat]");
            control.Add($"print vds_{d} vdsat_{d}");
        }

        control.Add(".endc");
        int end = text.LastIndexOf("\n.end", StringComparison.OrdinalIgnoreCase);
        return text[..(end + 1)] + string.Join('\n', control) + text[end..];
    }
}
