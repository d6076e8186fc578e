using DnnOpt.Sizing.Benchmarks;
using Xunit.Abstractions;

namespace DnnOpt.Sizing.Tests.Benchmarks;

/// <summary>
/// The inverter-chain built-in: its reference design is feasible, and its measures agree with what ngspice 39.3
/// prints for the same deck (stored in Reference/inverter-chain.csv, re-checked live when ngspice is on PATH).
/// </summary>
public sealed class InverterChainTests(ITestOutputHelper output)
{
    private static readonly BuiltinBenchmark Benchmark = BuiltinBenchmarks.All.Single(b => b.Name == "inverter-chain");

    private static string StoredCsv => Path.Combine(Ngspice.OutputDirectory, "inverter-chain.csv");

    [Fact]
    public void The_reference_design_is_feasible_and_matches_ngspice()
    {
        using CircuitProblem problem = Benchmark.CreateProblem();
        Assert.Equal(8, problem.Space.Dimension);
        Measurement m = problem.Measure([.. Benchmark.ReferenceDesign]);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        Assert.True(m.Evaluation.IsFeasible);
        Ngspice.Table reference = Ngspice.ReadCsv(StoredCsv);
        foreach (string name in reference.Vectors)
        {
            // ngspice prints 7 significant digits; the two simulators take the same time steps on this deck.
            Tolerance.Close(reference[name], m[name], 1e-5, 0, name);
            output.WriteLine($"{name}: {m[name]:R} (ngspice {reference[name]:R})");
        }

        Tolerance.Close(-1.8 * reference["ivdd_avg"], m["power"], 1e-5);
    }

    [Fact]
    public void A_chain_too_weak_to_switch_its_load_in_time_fails_with_the_measure_named()
    {
        using CircuitProblem problem = Benchmark.CreateProblem();
        Measurement m = problem.Measure([0.22e-6, 0.22e-6, 0.22e-6, 0.22e-6, 0.22e-6, 0.22e-6, 0.22e-6, 0.22e-6]);
        Assert.False(m.Evaluation.Succeeded);
        Assert.Contains("measure 'tpd_rise' failed", m.Evaluation.FailureReason, StringComparison.Ordinal);
        Assert.True(double.IsFinite(m["ivdd_avg"]));
    }

    [Fact]
    public void Stored_reference_is_what_ngspice_prints()
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        Ngspice.Table live = Ngspice.Measures(exe!, Benchmark.Definition.Decks[0].Text, Benchmark.IncludedFiles);
        if (Environment.GetEnvironmentVariable(Ngspice.RegenerateVariable) == "1")
        {
            Ngspice.WriteCsv(Path.Combine(Ngspice.SourceDirectory(), "inverter-chain.csv"), "inverter-chain.cir as embedded in DnnOpt.Sizing, reference design = its .param defaults; values as ngspice prints its .measure results", NgspiceProcess.Version(exe!), live, "ngspice -b <deck + .control: run, quit>, printed .measure lines");
            return;
        }

        Ngspice.Table stored = Ngspice.ReadCsv(StoredCsv);
        Assert.Equal(stored.Vectors, live.Vectors);
        for (int i = 0; i < stored.Values.Length; i++)
        {
            Tolerance.Close(stored.Values[i], live.Values[i], 1e-9, 0, stored.Vectors[i]);
        }
    }
}
