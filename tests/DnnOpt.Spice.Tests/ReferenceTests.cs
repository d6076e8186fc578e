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
        vector.StartsWith('@') && vector.EndsWith(']') && vector[(vector.IndexOf('[', StringComparison.Ordinal) + 1)..^1] is "cgs" or "cgd" or "cgb" or "cbd" or "cbs" or "cd";
}
