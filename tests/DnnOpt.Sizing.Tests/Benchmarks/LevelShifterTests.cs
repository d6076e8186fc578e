using System.Globalization;
using DnnOpt.Sizing.Benchmarks;
using DnnOpt.Spice.Circuits;
using Xunit.Abstractions;

namespace DnnOpt.Sizing.Tests.Benchmarks;

/// <summary>
/// The level-shifter industrial benchmark (issue 9, paper Table V): a 32-bit 1.0 V to 1.8 V level-shifter bus of 384
/// BSIM3 MOSFETs as instantiated. The decks' nominal design fails exactly the six documented specs and meets the other
/// twenty; the committed improved design meets all 26; every deck measure of both designs agrees with what ngspice 39.3
/// prints for the same decks (stored in <c>Reference/level-shifter.*.measures.csv</c>; the live re-run covers the slow
/// transient and the leakage deck of the nominal design, the most expensive check kept to the fewest decks).
/// </summary>
public sealed class LevelShifterTests(ITestOutputHelper output)
{
    /// <summary>What level-shifter.md documents the nominal design to miss.</summary>
    private static readonly string[] NominalFailures = ["tpd_rise_slow", "dcd_slow", "tpd_rise_typ", "dcd_typ", "tpd_rise_fast", "dcd_fast"];

    private static BuiltinBenchmark Benchmark => BuiltinBenchmarks.TryGet("level-shifter", out BuiltinBenchmark? b) ? b : throw new InvalidOperationException("level-shifter missing");

    // One simulation of each design serves every test (four decks, about 4 s of CPU per design on the 2-core machine).
    private static readonly Lazy<Measurement> Nominal = new(() => Measure([.. Benchmark.ReferenceDesign]));
    private static readonly Lazy<Measurement> Improved = new(() => Measure([.. Benchmark.ImprovedDesign!]));

    private static Measurement Measure(double[] x)
    {
        using CircuitProblem problem = Benchmark.CreateProblem();
        return problem.Measure(x);
    }

    private static string StoredCsv(string design) => Path.Combine(Ngspice.OutputDirectory, $"level-shifter.{design}.measures.csv");

    private IReadOnlyList<SpecOutcome> Report(Measurement m)
    {
        using CircuitProblem problem = Benchmark.CreateProblem();
        IReadOnlyList<SpecOutcome> outcomes = problem.Outcomes(m.Values);
        foreach (SpecOutcome o in outcomes)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{o.Metric} {o.Relation} {o.Bound:G6}: {o.Value:G6} {(o.Met ? "met" : "MISSED")}"));
        }

        return outcomes;
    }

    [Fact]
    public void Every_deck_instantiates_the_32_bit_bus_of_384_mosfets()
    {
        Assert.Equal(26, Benchmark.Definition.Variables.Count);
        Assert.Equal(26, Benchmark.Definition.Specs.Count);
        Assert.Equal(4, Benchmark.Definition.Decks.Count);
        foreach (DeckDefinition deck in Benchmark.Definition.Decks)
        {
            var circuit = Circuit.Create(deck.Parse());

            // Flattened names end in the instance's own name (xl0.xb3.mnl1): 12 MOSFETs per bit, 8 bits per lane, 4 lanes.
            string[] mosfets = [.. circuit.DeviceNames.Where(n => n[(n.LastIndexOf('.') + 1)..].StartsWith('m'))];
            output.WriteLine($"{deck.FileName}: {mosfets.Length} MOSFETs, {circuit.DeviceNames.Count()} devices, {circuit.UnknownNames.Count} unknowns");
            Assert.Equal(384, mosfets.Length);
            Assert.Equal(384, mosfets.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
    }

    [Fact]
    public void The_nominal_design_fails_exactly_the_documented_specs()
    {
        Measurement m = Nominal.Value;
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        IReadOnlyList<SpecOutcome> outcomes = Report(m);
        Assert.Equal(NominalFailures.Order(), outcomes.Where(o => !o.Met).Select(o => o.Metric).Order());
        Assert.False(m.Evaluation.IsFeasible);
    }

    [Fact]
    public void The_improved_design_meets_every_spec_and_differs_from_the_nominal()
    {
        Assert.NotNull(Benchmark.ImprovedDesign);
        Measurement m = Improved.Value;
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        IReadOnlyList<SpecOutcome> outcomes = Report(m);
        Assert.All(outcomes, o => Assert.True(o.Met, $"{o.Metric} {o.Relation} {o.Bound}: {o.Value}"));
        Assert.True(m.Evaluation.IsFeasible);
        Assert.NotEqual(Benchmark.ReferenceDesign, Benchmark.ImprovedDesign);
    }

    [Theory]
    [InlineData("nominal")]
    [InlineData("improved")]
    public void Measures_agree_with_ngspice_on_every_deck(string design)
    {
        Measurement m = design == "nominal" ? Nominal.Value : Improved.Value;
        Ngspice.Table reference = Ngspice.ReadCsv(StoredCsv(design));
        Assert.Equal(34, reference.Vectors.Length);
        foreach (string measure in reference.Vectors)
        {
            // ngspice prints 7 significant digits (param= measures 6); both simulators take the same time points on these
            // decks, so agreement is at the printed precision.
            Tolerance.Close(reference[measure], m[measure], 1e-5, 0, $"{design} {measure}");
        }
    }

    [Fact]
    public void Stored_measures_are_what_ngspice_prints()
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        BuiltinBenchmark b = Benchmark;
        if (Environment.GetEnvironmentVariable(Ngspice.RegenerateVariable) == "1")
        {
            Regenerate(exe!, b, "nominal", [.. b.ReferenceDesign]);
            Regenerate(exe!, b, "improved", [.. b.ImprovedDesign!]);
            return;
        }

        // The live re-run covers the nominal design's slow transient (the condition the failing specs hinge on) and its
        // leakage deck (the DC sweep); the other decks share every device and model with them.
        Ngspice.Table stored = Ngspice.ReadCsv(StoredCsv("nominal"));
        foreach (DeckDefinition deck in b.Definition.Decks.Where(d => d.FileName is "level-shifter_slow.cir" or "level-shifter_leak.cir"))
        {
            Ngspice.Table live = Ngspice.Measures(exe!, deck.Text, b.IncludedFiles);
            Assert.NotEmpty(live.Vectors);
            foreach (string measure in live.Vectors)
            {
                Tolerance.Close(stored[measure], live[measure], 1e-9, 0, $"{deck.FileName} {measure}");
            }
        }
    }

    private static void Regenerate(string exe, BuiltinBenchmark b, string design, double[] x)
    {
        var names = new List<string>();
        var values = new List<double>();
        foreach (DeckDefinition deck in b.Definition.DecksWithValues(x))
        {
            Ngspice.Table t = Ngspice.Measures(exe, deck.Text, b.IncludedFiles);
            names.AddRange(t.Vectors);
            values.AddRange(t.Values);
        }

        string note = design == "nominal"
            ? "level-shifter_{slow,typ,fast,leak}.cir as embedded in DnnOpt.Sizing, nominal design = the .param defaults"
            : "level-shifter_{slow,typ,fast,leak}.cir as embedded in DnnOpt.Sizing with level-shifter.improved.json written into the .param lines (DecksWithValues)";
        Ngspice.WriteCsv(Path.Combine(Ngspice.SourceDirectory(), $"level-shifter.{design}.measures.csv"), note + "; values as ngspice prints its .measure results", NgspiceProcess.Version(exe), new Ngspice.Table([.. names], [.. values]), "ngspice -b <deck + .control: run, quit>, printed .measure lines");
    }
}
