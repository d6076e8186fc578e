using DnnOpt.Sizing.Benchmarks;
using Xunit.Abstractions;

namespace DnnOpt.Sizing.Tests.Benchmarks;

/// <summary>
/// The built-in benchmarks defined by problem files: each reference design (the decks' .param defaults) is feasible
/// in-process, and every deck's <c>.measure</c> results agree with what ngspice 39.3 prints for the same deck (stored in
/// <c>Reference/NAME.measures.csv</c>, re-checked live when ngspice is on PATH).
/// </summary>
public sealed class ProblemFileBenchmarkTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names() => ["miller-ota", "inverter-chain"];

    private static BuiltinBenchmark Get(string name) => BuiltinBenchmarks.All.Single(b => b.Name == name);

    private static string StoredCsv(string name) => Path.Combine(Ngspice.OutputDirectory, name + ".measures.csv");

    [Theory]
    [MemberData(nameof(Names))]
    public void The_reference_design_is_feasible_and_its_measures_match_ngspice(string name)
    {
        BuiltinBenchmark b = Get(name);
        using CircuitProblem problem = b.CreateProblem();
        Measurement m = problem.Measure([.. b.ReferenceDesign]);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        foreach (SpecOutcome o in problem.Outcomes(m.Values))
        {
            output.WriteLine($"{o.Constraint}: {o.Value:G6} {o.Relation} {o.Bound:G6} {(o.Met ? "met" : "MISSED")}");
        }

        Assert.True(m.Evaluation.IsFeasible);
        Ngspice.Table reference = Ngspice.ReadCsv(StoredCsv(name));
        foreach (string measure in reference.Vectors)
        {
            // ngspice prints 7 significant digits; both simulators take the same points on these decks, so the
            // agreement is at the printed precision (the issue's bound for measures is 0.1 %).
            Tolerance.Close(reference[measure], m[measure], 1e-5, 0, $"{name} {measure}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Stored_measures_are_what_ngspice_prints(string name)
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        BuiltinBenchmark b = Get(name);
        var names = new List<string>();
        var values = new List<double>();
        foreach (DeckDefinition deck in b.Definition.Decks)
        {
            Ngspice.Table t = Ngspice.Measures(exe!, deck.Text, b.IncludedFiles);
            names.AddRange(t.Vectors);
            values.AddRange(t.Values);
        }

        var live = new Ngspice.Table([.. names], [.. values]);
        if (Environment.GetEnvironmentVariable(Ngspice.RegenerateVariable) == "1")
        {
            Ngspice.WriteCsv(Path.Combine(Ngspice.SourceDirectory(), name + ".measures.csv"), $"{string.Join(", ", b.Definition.Decks.Select(d => d.FileName))} as embedded in DnnOpt.Sizing, reference design = the .param defaults; values as ngspice prints its .measure results", NgspiceProcess.Version(exe!), live, "ngspice -b <deck + .control: run, quit>, printed .measure lines");
            return;
        }

        Ngspice.Table stored = Ngspice.ReadCsv(StoredCsv(name));
        Assert.Equal(stored.Vectors, live.Vectors);
        for (int i = 0; i < stored.Values.Length; i++)
        {
            Tolerance.Close(stored.Values[i], live.Values[i], 1e-9, 0, $"{name} {stored.Vectors[i]}");
        }
    }

    [Fact]
    public void An_inverter_chain_too_weak_to_switch_its_load_in_time_fails_with_the_measure_named()
    {
        using CircuitProblem problem = Get("inverter-chain").CreateProblem();
        Measurement m = problem.Measure([0.22e-6, 0.22e-6, 0.22e-6, 0.22e-6, 0.22e-6, 0.22e-6, 0.22e-6, 0.22e-6]);
        Assert.False(m.Evaluation.Succeeded);
        Assert.Contains("measure 'tpd_rise' failed", m.Evaluation.FailureReason, StringComparison.Ordinal);
        Assert.True(double.IsFinite(m["ivdd_avg"]));
    }

    [Fact]
    public void A_miller_ota_without_compensation_misses_the_phase_margin_spec()
    {
        BuiltinBenchmark b = Get("miller-ota");
        using CircuitProblem problem = b.CreateProblem();
        double[] x = [.. b.ReferenceDesign];
        x[problem.Space.IndexOf("cc")] = 0.1e-12;
        Measurement m = problem.Measure(x);
        output.WriteLine($"pm {m["pm"]:G4} deg, ugf {m["ugf"]:G4} Hz, reason: {m.Evaluation.FailureReason}");
        Assert.False(m.Evaluation.IsFeasible);
        Assert.True(double.IsNaN(m["pm"]) || m["pm"] < 60);
    }
}
