using System.Globalization;
using DnnOpt.Sizing.Benchmarks;
using DnnOpt.Spice.Circuits;
using Xunit.Abstractions;

namespace DnnOpt.Sizing.Tests.Benchmarks;

/// <summary>
/// The ldo benchmark (issue 9, industrial class): a capless LDO whose pass device is 10,000 unit PMOS instantiated
/// through four nested subcircuits. Its nominal design (the decks' .param defaults) fails exactly the three documented
/// specs, its committed improved design (<c>ldo.improved.json</c>) meets all nine, and the metrics agree with ngspice 39.
/// </summary>
/// <remarks>
/// Cost decides the oracle chain. One evaluation of the arrayed decks costs tens of CPU seconds here (mostly the
/// per-design rebuild of 10,000 BSIM3 instances) and an ngspice process takes minutes per deck, so: (1) the arrayed loop
/// deck is run once and must equal the same deck with the array replaced by one PMOS with m = 10000 (parallel identical
/// devices: equal up to where Newton stops), and its measures must equal ngspice's on the arrayed deck (stored CSV,
/// produced once); (2) the specs and the ngspice comparison of both designs (stored CSV plus a live re-run) use that
/// compact equivalent of every deck, which both simulators run in well under a second.
/// </remarks>
public sealed class LdoTests(ITestOutputHelper output)
{
    private const string PassInstance = "xpass out gate vin pass10k";
    private const string CompactPass = "mpass out gate vin vin pch w={w_mp} l={l_mp} m=10000";

    private static readonly string[] FailingAtNominal = ["pm", "psrr_10k", "line_reg"];

    private static BuiltinBenchmark Benchmark => BuiltinBenchmarks.TryGet("ldo", out BuiltinBenchmark? b) ? b : throw new InvalidOperationException("ldo missing");

    /// <summary>The deck with the 10,000-unit array replaced by one m = 10000 device (same nodes, same unit W/L).</summary>
    private static string Compact(string deckText)
    {
        Assert.Contains(PassInstance, deckText, StringComparison.Ordinal);
        return deckText.Replace(PassInstance, CompactPass, StringComparison.Ordinal);
    }

    private static SizingProblemDefinition CompactDefinition() =>
        Benchmark.Definition with { Decks = [.. Benchmark.Definition.Decks.Select(d => d with { Text = Compact(d.Text) })] };

    private static double[] Improved => [.. Benchmark.ImprovedDesign ?? throw new InvalidOperationException("ldo.improved.json missing")];

    [Fact]
    public void The_arrayed_loop_deck_instantiates_ten_thousand_pass_pmos_and_equals_its_compact_equivalent()
    {
        DeckDefinition loop = Benchmark.Definition.Decks.Single(d => d.FileName == "ldo_loop.cir");
        Circuit array = Circuit.Create(loop.Parse());
        string[] names = [.. array.DeviceNames];
        // Flattened names as ngspice forms them: m.xpass.x1.x1.x1.mp1 for mp1 of pass10 in pass100 in pass1k in xpass.
        int pass = names.Count(n => n.StartsWith("m.xpass.", StringComparison.Ordinal));
        output.WriteLine($"first pass unit: {names.First(n => n.StartsWith("m.xpass.", StringComparison.Ordinal))}");
        int mosfets = names.Count(n => n.StartsWith('m'));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"devices {names.Length}, MOSFETs {mosfets}, pass units {pass}, unknowns {array.UnknownNames.Count}"));
        Assert.Equal(10_000, pass);
        Assert.Equal(10_012, mosfets);
        Assert.Equal(10_026, names.Length);

        MeasureResultsTable arrayed = MeasureTable(array);
        MeasureResultsTable compact = MeasureTable(Circuit.Create((loop with { Text = Compact(loop.Text) }).Parse()));
        Ngspice.Table stored = Ngspice.ReadCsv(Path.Combine(Ngspice.OutputDirectory, "ldo.array.csv"));
        foreach (string measure in stored.Vectors)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{measure}: array {arrayed[measure]:G10}, compact {compact[measure]:G10}, ngspice (array) {stored[measure]:G7}"));

            // The same circuit, but a different matrix (20,043 unknowns against 43), so Newton stops at a different
            // point inside SPICE's default tolerance (reltol 1e-3): ngspice shows the same array/compact difference
            // (lg_db 63.62327 against 63.62337, about 2e-6; ugf about 1e-5).
            Tolerance.Close(compact[measure], arrayed[measure], 1e-4, 1e-9, $"array vs m=10000: {measure}");

            // ngspice prints 7 significant digits.
            Tolerance.Close(stored[measure], arrayed[measure], 1e-5, 1e-9, $"array vs ngspice: {measure}");
        }
    }

    [Fact]
    public void The_nominal_design_fails_exactly_phase_margin_psrr_and_line_regulation()
    {
        using CircuitProblem problem = CircuitProblem.Create(CompactDefinition());
        Assert.Equal(26, problem.Space.Dimension);
        Assert.Equal(9, Benchmark.Definition.Specs.Count);
        Measurement m = problem.Measure([.. Benchmark.ReferenceDesign]);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        Report(problem, m);
        string[] failing = [.. problem.Outcomes(m.Values).Where(o => !o.Met).Select(o => o.Metric)];
        Assert.Equal(FailingAtNominal, failing);

        // The figures ldo.md documents for the nominal design.
        Tolerance.Close(17.2, m["pm"], 0, 0.05, "pm");
        Tolerance.Close(37.5, m["psrr_10k"], 0, 0.05, "psrr_10k");
        Tolerance.Close(12.17e-3, m["line_reg"], 0, 0.005e-3, "line_reg");
    }

    [Fact]
    public void The_improved_design_meets_every_spec()
    {
        using CircuitProblem problem = CircuitProblem.Create(CompactDefinition());
        Measurement m = problem.Measure(Improved);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        Report(problem, m);
        Assert.True(m.Evaluation.IsFeasible, string.Join("; ", problem.Outcomes(m.Values).Where(o => !o.Met)));
    }

    public static TheoryData<string> Designs() => ["nominal", "improved"];

    [Theory]
    [MemberData(nameof(Designs))]
    public void Metrics_match_ngspice(string design)
    {
        using CircuitProblem problem = CircuitProblem.Create(CompactDefinition());
        double[] x = design == "nominal" ? [.. Benchmark.ReferenceDesign] : Improved;
        Measurement m = problem.Measure(x);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        Ngspice.Table stored = Ngspice.ReadCsv(Path.Combine(Ngspice.OutputDirectory, $"ldo.{design}.csv"));
        foreach (string measure in stored.Vectors)
        {
            Tolerance.Close(stored[measure], m[measure], 1e-5, 1e-9, $"{design} {measure}");
        }
    }

    [Theory]
    [MemberData(nameof(Designs))]
    public void Stored_ngspice_results_are_what_ngspice_prints(string design)
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        double[] x = design == "nominal" ? [.. Benchmark.ReferenceDesign] : Improved;
        Ngspice.Table live = NgspiceCompact(exe!, x);
        if (Environment.GetEnvironmentVariable(Ngspice.RegenerateVariable) == "1")
        {
            Ngspice.WriteCsv(
                Path.Combine(Ngspice.SourceDirectory(), $"ldo.{design}.csv"),
                $"ldo_loop.cir, ldo_psrr.cir, ldo_line.cir as embedded in DnnOpt.Sizing with the 10,000-unit pass array replaced by one pch m=10000, {design} design; vout_nl/iin_nl from the loop deck with its .ac replaced by .dc iload 0 1u 1u (the operating point at iload = 0)",
                NgspiceProcess.Version(exe!),
                live,
                "ngspice -b <deck + .control: run, quit>, printed .measure lines");
            return;
        }

        Ngspice.Table stored = Ngspice.ReadCsv(Path.Combine(Ngspice.OutputDirectory, $"ldo.{design}.csv"));
        Assert.Equal(stored.Vectors, live.Vectors);
        for (int i = 0; i < stored.Values.Length; i++)
        {
            Tolerance.Close(stored.Values[i], live.Values[i], 1e-9, 0, $"{design} {stored.Vectors[i]}");
        }
    }

    /// <summary>ngspice on the compact decks with <paramref name="x"/> substituted: every measure, then the no-load op.</summary>
    private static Ngspice.Table NgspiceCompact(string exe, double[] x)
    {
        IReadOnlyList<DeckDefinition> decks = CompactDefinition().DecksWithValues(x);
        var names = new List<string>();
        var values = new List<double>();
        foreach (DeckDefinition deck in decks)
        {
            Add(Ngspice.Measures(exe, deck.Text, Benchmark.IncludedFiles));
        }

        // The loop deck's operating point (the problem reads v(out) and i(vin) there): the first point of a DC sweep.
        string loop = decks.Single(d => d.FileName == "ldo_loop.cir").Text;
        List<string> lines = [.. loop.Split('\n').Where(l => !l.StartsWith(".ac", StringComparison.Ordinal) && !l.StartsWith(".meas", StringComparison.Ordinal))];
        lines.InsertRange(lines.FindLastIndex(l => l.Trim() == ".end"), [".dc iload 0 1u 1u", ".meas dc vout_nl find v(out) at=0", ".meas dc iin_nl find i(vin) at=0"]);
        Add(Ngspice.Measures(exe, string.Join('\n', lines), Benchmark.IncludedFiles));
        return new Ngspice.Table([.. names], [.. values]);

        void Add(Ngspice.Table t)
        {
            names.AddRange(t.Vectors);
            values.AddRange(t.Values);
        }
    }

    private void Report(CircuitProblem problem, Measurement m)
    {
        foreach (SpecOutcome o in problem.Outcomes(m.Values))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{o.Metric} {o.Relation} {o.Bound:G6}: {o.Value:G6} {(o.Met ? "met" : "MISSED")}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"iq {m["iq"]:G6} A"));
    }

    private static MeasureResultsTable MeasureTable(Circuit c) => new(c.Measure(c.RunAnalyses(c.Measures.DeviceQuantities)));

    /// <summary>The measures of a run by name (NaN when a measure failed).</summary>
    private sealed class MeasureResultsTable(Spice.Measurements.MeasureResults results)
    {
        public double this[string name] => results.TryGetValue(name, out double v) ? v : double.NaN;
    }
}
