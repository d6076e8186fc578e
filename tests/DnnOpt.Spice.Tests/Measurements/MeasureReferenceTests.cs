using System.Globalization;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Measurements;
using DnnOpt.Spice.Parsing;
using Xunit.Abstractions;

namespace DnnOpt.Spice.Tests.Measurements;

/// <summary>
/// The .measure corpus (Reference/Measures): every measure of every deck evaluated here and compared with the value
/// ngspice 39.3 printed. DC and AC decks share ngspice's points exactly, so they are held to 1e-5 relative (ngspice
/// prints 6-7 significant digits: the tightest honest bound); transient decks are held to the 0.1%, because
/// the two simulators choose their own time steps (most transient measures still agree to 1e-6; an integral of supply
/// current through switching spikes differs by ~7e-4). A measure ngspice reports as failed must fail here too.
/// </summary>
public sealed class MeasureReferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Decks()
    {
        var data = new TheoryData<string>();
        foreach (string d in ReferenceData.MeasureDeckNames())
        {
            data.Add(d);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Decks))]
    public void Measures_match_the_values_ngspice_printed(string deck)
    {
        string path = ReferenceData.MeasureDeckPath(deck);
        ReferenceData.Table expected = ReferenceData.ReadCsv(Path.ChangeExtension(path, ".csv"));
        Circuit circuit = Circuit.Create(NetlistParser.ParseFile(path));
        MeasureResults results = circuit.Measure(circuit.RunAnalyses());
        double relative = circuit.Netlist.Analyses.Any(a => a is Netlists.TranStatement) ? 1e-3 : 1e-5;
        Assert.Equal(expected.Vectors, results.Select(r => r.Name));
        foreach (string name in expected.Vectors)
        {
            double want = expected.Column(name)[0];
            MeasureResult got = results[name];
            if (double.IsNaN(want))
            {
                Assert.True(got.Status == MeasureStatus.Failed, $"{deck} {name}: ngspice reports it failed, here {got.Value}");
                output.WriteLine($"{deck} {name}: failed in both ({got.Reason})");
                continue;
            }

            Assert.True(got.Succeeded, $"{deck} {name}: ngspice printed {want}, here failed: {got.Reason}");
            Tolerance.Close(want, got.Value, relative, 1e-18, $"{deck} {name}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{deck} {name}: {got.Value:R} vs ngspice {want:R} (rel {Math.Abs(got.Value - want) / Math.Abs(want):E1})"));
        }
    }
}
