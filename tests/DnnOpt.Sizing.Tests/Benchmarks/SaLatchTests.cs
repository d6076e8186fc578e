using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DnnOpt.Optimization;
using DnnOpt.Sizing.Benchmarks;
using DnnOpt.Spice.Technology;
using Xunit.Abstractions;

namespace DnnOpt.Sizing.Tests.Benchmarks;

/// <summary>
/// The sa-latch benchmark (strong-arm latch, paper Table III / eq. 10): its reference design is feasible, its
/// transient measures and pre-amplifier operating point agree with ngspice 39 on the same decks (stored CSV, re-checked
/// live), its input-referred noise estimate agrees with ngspice's BSIM3 <c>.noise</c> density, and designs that break a
/// measure fail with the reason.
/// </summary>
public sealed partial class SaLatchTests(ITestOutputHelper output)
{
    private const string CsvName = "sa-latch.csv";
    private const string TranDeck = "sa-latch_tran.cir";
    private const string PreampDeck = "sa-latch_preamp.cir";

    // The transient deck's measures, in deck order; then the pre-amplifier's input-pair gm and ngspice's input-referred
    // noise density of that deck at 100 MHz (V/sqrt(Hz), white region).
    private static readonly string[] Measures = ["tset", "treset", "tint", "vset", "vrst_d", "vrst_p", "vrst_q", "vrst_op", "vrst_on", "iavg"];
    private static readonly string[] Columns = [.. Measures, "@m1[gm]", "inoise_100meg"];

    private static BuiltinBenchmark Benchmark => BuiltinBenchmarks.TryGet("sa-latch", out BuiltinBenchmark? b) ? b : throw new InvalidOperationException("sa-latch missing");

    [Fact]
    public void Reference_design_is_the_deck_default_and_is_feasible()
    {
        CircuitProblem problem = Benchmark.CreateProblem();
        Assert.Equal(13, problem.Space.Dimension);
        Assert.Equal(10, Benchmark.Definition.Specs.Count);
        double[] x = [.. Benchmark.ReferenceDesign];
        Measurement m = problem.Measure(x);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        foreach (SpecOutcome o in problem.Outcomes(m.Values))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{o.Metric} {o.Relation} {o.Bound:G6}: {o.Value:G8} (margin {o.Margin:G4})"));
        }

        Assert.True(m.Evaluation.IsFeasible, string.Join("; ", problem.Outcomes(m.Values).Where(o => !o.Met)));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"power {m["power"]:G6} W"));

        // Both decks carry the same sizes for the devices they share.
        var preamp = Spice.Circuits.Circuit.Create(Benchmark.Definition.Decks[1].Parse());
        foreach (string shared in new[] { "w1", "l1", "w6", "l6" })
        {
            Assert.Equal(x[problem.Space.IndexOf(shared)], preamp.GetParameter(shared), 1e-18);
        }
    }

    [Fact]
    public void Reference_design_metrics_match_stored_ngspice_results()
    {
        Ngspice.Table reference = Ngspice.ReadCsv(Path.Combine(Ngspice.OutputDirectory, CsvName));
        Assert.Equal(Columns, reference.Vectors);
        Measurement m = Benchmark.CreateProblem().Measure([.. Benchmark.ReferenceDesign]);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        foreach (string name in Measures)
        {
            Near(reference[name], m[name], name);
        }

        Tolerance.Close(reference["@m1[gm]"], m["gm1"], 1e-6, 1e-12, "gm1");

        // Metrics built from ngspice's numbers with the problem file's formulas.
        Near(-1.8 * reference["iavg"], m["power"], "power");
        Near(Math.Abs(reference["vrst_d"]), m["vrst_diff"], "vrst_diff");
        Near(Math.Abs(reference["vrst_op"]), m["vrst_outp"], "vrst_outp");
        Near(Noise(reference["@m1[gm]"], reference["tint"]), m["noise"], "noise");
        double area = (2 * ((20 * 0.4) + (3 * 0.18) + (3 * 0.18) + (2 * 0.18) + (1 * 0.18))) + (1.5 * 0.4);
        Tolerance.Close(area, m["area"], 1e-9, 0, "area (um^2) from the reference sizes");
    }

    /// <summary>
    /// The noise estimate's density 8kT·γ/gm1 (γ = 2/3, long-channel thermal noise of the two input devices, referred to
    /// the differential input) against ngspice's BSIM3 (noiMod 2: charge-based thermal plus flicker) input-referred
    /// density of the same pre-amplifier deck at 100 MHz: agreement within 15 % in density (7 % in rms) is what the
    /// long-channel γ buys on this card (ngspice's effective γ is 0.62 at the reference design).
    /// </summary>
    [Fact]
    public void Noise_density_estimate_agrees_with_ngspice_noise_analysis()
    {
        Ngspice.Table reference = Ngspice.ReadCsv(Path.Combine(Ngspice.OutputDirectory, CsvName));
        double estimate = 8 * Boltzmann * Temperature * (2.0 / 3.0) / reference["@m1[gm]"];
        double ngspice = reference["inoise_100meg"] * reference["inoise_100meg"];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"S_in estimate {estimate:G4} V^2/Hz, ngspice {ngspice:G4} V^2/Hz, ratio {estimate / ngspice:G4}"));
        Tolerance.Close(ngspice, estimate, 0.15, 0, "input-referred noise density: estimate vs ngspice .noise");
    }

    [Fact]
    public void Stored_reference_is_what_ngspice_produces()
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        Ngspice.Table live = RunNgspice(exe!, Benchmark.Definition.Decks[0].Text, Benchmark.Definition.Decks[1].Text);
        if (Environment.GetEnvironmentVariable(Ngspice.RegenerateVariable) == "1")
        {
            string target = Path.Combine(Ngspice.SourceDirectory(), CsvName);
            WriteCsv(target, NgspiceProcess.Version(exe!), live);
            output.WriteLine($"wrote {target}");
            return;
        }

        Ngspice.Table stored = Ngspice.ReadCsv(Path.Combine(Ngspice.OutputDirectory, CsvName));
        Assert.Equal(stored.Vectors, live.Vectors);
        for (int i = 0; i < stored.Values.Length; i++)
        {
            // Same program, same deck: ngspice prints 7 significant digits.
            Tolerance.Close(stored.Values[i], live.Values[i], 1e-9, 1e-300, stored.Vectors[i]);
        }
    }

    /// <summary>A design written into the decks (as <c>dnnopt size</c> writes the best one) measures as ngspice does.</summary>
    [Fact]
    public void Another_design_matches_ngspice_through_the_substituted_decks()
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        CircuitProblem problem = Benchmark.CreateProblem();
        double[] x = [.. Benchmark.ReferenceDesign];
        x[problem.Space.IndexOf("w6")] = 1e-6;     // weaker tail: slower, quieter
        x[problem.Space.IndexOf("nf")] = 150;
        x[problem.Space.IndexOf("w4")] = 3e-6;
        Measurement m = problem.Measure(x);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        IReadOnlyList<DeckDefinition> decks = Benchmark.Definition.DecksWithValues(x);
        Ngspice.Table live = RunNgspice(exe!, decks[0].Text, decks[1].Text);
        foreach (string name in Measures)
        {
            Near(live[name], m[name], name);
        }

        Tolerance.Close(live["@m1[gm]"], m["gm1"], 1e-6, 1e-12, "gm1");
    }

    /// <summary>
    /// A tail of minimum width and maximum length cannot discharge the outputs within the evaluation phase: the set
    /// delay's target crossing never happens, so the evaluation fails and says which measure and why.
    /// </summary>
    [Fact]
    public void A_latch_that_never_decides_fails_with_the_measure_named()
    {
        CircuitProblem problem = Benchmark.CreateProblem();
        double[] x = [.. Benchmark.ReferenceDesign];
        x[problem.Space.IndexOf("w6")] = 0.22e-6;
        x[problem.Space.IndexOf("l6")] = 10e-6;
        x[problem.Space.IndexOf("nf")] = 300;
        Evaluation e = problem.Evaluate(x);
        Assert.False(e.Succeeded);
        output.WriteLine(e.FailureReason);
        Assert.Contains("tset", e.FailureReason, StringComparison.Ordinal);
    }

    /// <summary>
    /// Undersized output reset switches leave cycle 1's decision on the outputs: with the input reversed, cycle 2 repeats
    /// the old decision (hysteresis), the losing output never falls, so the set delay is unmeasurable and the
    /// evaluation fails with that reason; the differential set voltage has the wrong sign.
    /// </summary>
    [Fact]
    public void Weak_reset_switches_make_the_latch_repeat_its_previous_decision()
    {
        CircuitProblem problem = Benchmark.CreateProblem();
        double[] x = [.. Benchmark.ReferenceDesign];
        x[problem.Space.IndexOf("w4")] = 0.22e-6;
        x[problem.Space.IndexOf("l4")] = 2e-6;
        Measurement m = problem.Measure(x);
        Assert.False(m.Evaluation.Succeeded);
        output.WriteLine(m.Evaluation.FailureReason);
        Assert.StartsWith("metric 'tset' could not be measured", m.Evaluation.FailureReason, StringComparison.Ordinal);
        Assert.True(m["vset"] < -1.0, $"vset {m["vset"]}: expected the previous (wrong) decision");
    }

    private const double Boltzmann = 1.380649e-23;
    private const double Temperature = 300.15;

    /// <summary>The problem file's noise formula: sqrt(8kT·(2/3)/gm1 / (2·tint)).</summary>
    private static double Noise(double gm1, double tint) => Math.Sqrt(8 * Boltzmann * Temperature * (2.0 / 3.0) / gm1 / (2 * tint));

    private static void Near(double expected, double actual, string what)
    {
        // ngspice prints measures with 7 significant digits; residues of a few nV keep an absolute floor of 1e-12 V.
        double absolute = what.StartsWith("vrst", StringComparison.Ordinal) ? 1e-12 : 0;
        Tolerance.Close(expected, actual, 2e-6, absolute, what);
    }

    /// <summary>
    /// Runs ngspice on the transient deck (its <c>.meas</c> lines, printed as <c>name = value</c>) and on the
    /// pre-amplifier deck with a <c>.noise</c> analysis added: the differential drain current is read through two
    /// noiseless 1 Ω CCVS, referred to <c>vinp</c>, one point at 100 MHz.
    /// </summary>
    private static Ngspice.Table RunNgspice(string exe, string tranDeck, string preampDeck)
    {
        string dir = Path.Combine(Path.GetTempPath(), "dnnopt_salatch_" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, Technologies.Generic180FileName), Technologies.Generic180);
            File.WriteAllText(Path.Combine(dir, TranDeck), WithControl(tranDeck, [], ["run", "quit 0"]));
            File.WriteAllText(Path.Combine(dir, PreampDeck), WithControl(
                preampDeck,
                ["hp op 0 vsp 1", "hq oq 0 vsq 1", ".noise v(op,oq) vinp dec 1 100meg 100meg"],
                ["run", "print @m1[gm]", "setplot noise1", "print inoise_spectrum", "quit 0"]));
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            Parse(Run(exe, TranDeck, dir), values);
            Parse(Run(exe, PreampDeck, dir), values);
            values["inoise_100meg"] = values["inoise_spectrum"];
            return new Ngspice.Table([.. Columns], [.. Columns.Select(c => values.TryGetValue(c, out double v) ? v : throw new InvalidOperationException($"ngspice printed no '{c}'"))]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Run(string exe, string deck, string dir)
    {
        (string log, int code) = NgspiceProcess.Run(exe, $"-b {deck}", dir);
        return code == 0 ? log : throw new InvalidOperationException($"ngspice failed on {deck} (exit {code}):\n{log}");
    }

    private static string WithControl(string deck, string[] extraLines, string[] control)
    {
        // The .op line is dropped: the .control run then performs only the analyses wanted (the operating point is
        // the first step of each, so @m1[gm] is still printed).
        var lines = deck.Split('\n').Where(l => !l.Trim().Equals(".op", StringComparison.OrdinalIgnoreCase)).ToList();
        int end = lines.FindLastIndex(l => l.Trim().Equals(".end", StringComparison.OrdinalIgnoreCase));
        lines.InsertRange(end, [.. extraLines, ".control", .. control, ".endc"]);
        return string.Join('\n', lines);
    }

    private static void Parse(string log, Dictionary<string, double> values)
    {
        foreach (Match match in ResultLine().Matches(log))
        {
            values[match.Groups[1].Value] = double.Parse(match.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
    }

    private static void WriteCsv(string path, string version, Ngspice.Table table)
    {
        var sb = new StringBuilder();
        sb.Append("# deck: sa-latch_tran.cir (.meas results) and sa-latch_preamp.cir (@m1[gm]; inoise_spectrum of an added .noise v(op,oq) vinp at 100 MHz) as embedded in DnnOpt.Sizing, reference design = their .param defaults\n");
        sb.Append("# produced by: ").Append(version).Append(", command: ngspice -b <deck + .control: run, print>, values as printed (7 significant digits)\n");
        sb.Append(string.Join(',', table.Vectors)).Append('\n');
        sb.Append(string.Join(',', table.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        File.WriteAllText(path, sb.ToString());
    }

    [GeneratedRegex(@"^\s*(\S+)\s+=\s+([-+0-9.eE]+)", RegexOptions.Multiline)]
    private static partial Regex ResultLine();
}
