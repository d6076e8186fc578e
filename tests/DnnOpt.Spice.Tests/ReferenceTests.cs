using System.Globalization;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;
using Xunit.Abstractions;

namespace DnnOpt.Spice.Tests;

/// <summary>
/// Every deck of the corpus simulated here and compared with the stored ngspice numbers: node voltages within 1e-6 V
/// absolute or 1e-6 relative; branch currents and device quantities within 1e-6 relative + 1e-12 A.
/// </summary>
public sealed class ReferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Decks()
    {
        var data = new TheoryData<string>();
        foreach (string d in ReferenceData.DeckNames())
        {
            data.Add(d);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Decks))]
    public void Deck_matches_stored_ngspice_reference(string deck)
    {
        string path = ReferenceData.DeckPath(deck);
        ReferenceData.Table expected = ReferenceData.ReadCsv(Path.ChangeExtension(path, ".csv"));
        Circuit circuit = Circuit.Create(NetlistParser.ParseFile(path));
        string[] devices = [.. expected.Vectors.Where(v => v.StartsWith('@'))];
        double relative = ReferenceData.RelativeTolerance(path);
        IReadOnlyList<AnalysisResult> results = circuit.RunAnalyses(devices);
        Assert.Single(results);
        AnalysisResult result = results[0];
        Assert.True(result.Converged, $"{deck}: {result.Newton}");
        if (result is TransientResult tran)
        {
            CompareTransient(deck, expected, tran);
            return;
        }

        foreach (string vector in expected.Vectors)
        {
            double[] want = expected.Column(vector);
            double[] got = result switch
            {
                OperatingPointResult op => [op.Get(vector)],
                DcSweepResult dc => dc.Get(vector),
                _ => throw new InvalidOperationException(),
            };
            Assert.Equal(want.Length, got.Length);
            bool isVoltage = vector.StartsWith("v(", StringComparison.Ordinal);
            double worst = 0;
            for (int i = 0; i < want.Length; i++)
            {
                double rel = relative;
                // Capacitances are femtofarads: an ampere-sized floor would hide any error, so they get 1e-21 F.
                double abs = isVoltage ? 1e-6 : IsCapacitance(vector) ? 1e-21 : 1e-12;
                if (isVoltage)
                {
                    // "1e-6 V absolute or 1e-6 relative": pass when either bound holds.
                    if (Tolerance.Within(got[i], want[i], 0, abs))
                    {
                        worst = Math.Max(worst, Math.Abs(got[i] - want[i]));
                        continue;
                    }

                    abs = 0;
                }

                Tolerance.Close(want[i], got[i], rel, abs, $"{deck} {vector} point {i}");
                worst = Math.Max(worst, Math.Abs(got[i] - want[i]));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{deck} {vector}: max |diff| {worst:E2}"));
        }
    }

    private static bool IsCapacitance(string vector) =>
        vector.StartsWith('@') && vector.EndsWith(']') && vector[(vector.IndexOf('[', StringComparison.Ordinal) + 1)..^1] is "cgs" or "cgd" or "cgb" or "cbd" or "cbs" or "cd"
            or "cgg" or "cbg" or "cdg" or "cdd" or "cds" or "capbd" or "capbs";

    /// <summary>
    /// Transient waveforms: the two simulators choose their own time points, so ours are interpolated linearly at
    /// ngspice's (the stored <c>time</c> column) and every vector must stay within 1% of its swing over the run
    /// (issue #5's tolerance); the worst difference is printed as a fraction of the swing.
    /// </summary>
    private void CompareTransient(string deck, ReferenceData.Table expected, TransientResult result)
    {
        double[] times = expected.Column("time");
        Assert.Equal(times[^1], result.Time[^1], times[^1] * 1e-9);
        foreach (string vector in expected.Vectors.Where(v => v != "time"))
        {
            double[] want = expected.Column(vector);
            double[] mine = result.Get(vector);
            double swing = want.Max() - want.Min();
            double allowed = 0.01 * swing;
            double worst = 0;
            double worstTime = 0;
            for (int i = 0; i < times.Length; i++)
            {
                double d = Math.Abs(result.Interpolate(mine, times[i]) - want[i]);
                if (d > worst)
                {
                    worst = d;
                    worstTime = times[i];
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{deck} {vector}: max |diff| {worst:E2} = {worst / swing:P3} of the swing {swing:G4} (at t = {worstTime:G4}); {result.Count} points here, {times.Length} in ngspice"));
            Assert.True(worst <= allowed, string.Create(CultureInfo.InvariantCulture, $"{deck} {vector}: |diff| {worst:E3} at t = {worstTime:G6} exceeds 1% of the swing ({allowed:E3})"));
        }
    }
}
