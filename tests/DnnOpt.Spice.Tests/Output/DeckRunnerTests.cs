using System.Globalization;
using DnnOpt.Spice.Output;

namespace DnnOpt.Spice.Tests.Output;

public sealed class DeckRunnerTests
{
    private static string TempDeck(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), "dnnopt_" + Guid.NewGuid().ToString("N") + ".cir");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Operating_point_prints_name_value_lines_and_writes_a_raw_file()
    {
        string deck = TempDeck("div\nv1 1 0 10\nr1 1 2 1k\nr2 2 0 1k\n.op\n.end\n");
        string raw = Path.ChangeExtension(deck, ".raw");
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            Assert.Equal(SimulateExitCode.Success, DeckRunner.Run(deck, raw, output, error));
            Assert.Contains("v(2) = 5.000000000e+00", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("i(v1) = -5.000000000e-03", output.ToString(), StringComparison.Ordinal);
            string text = File.ReadAllText(raw);
            Assert.Contains("Plotname: Operating Point", text, StringComparison.Ordinal);
            Assert.Contains("No. Variables: 3", text, StringComparison.Ordinal);
            Assert.Contains("\ti(v1)\tcurrent", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(deck);
            File.Delete(raw);
        }
    }

    [Fact]
    public void Bad_input_exits_1_naming_file_and_line()
    {
        string deck = TempDeck("bad\nv1 1 0 10\nq1 1 0 0 qmod\n.op\n.end\n");
        var error = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            Assert.Equal(SimulateExitCode.BadInput, DeckRunner.Run(deck, null, TextWriter.Null, error));
            Assert.Contains(deck + ":3:", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(deck);
        }
    }

    [Fact]
    public void Non_convergence_exits_2_naming_the_unknown()
    {
        // A long chain of inverters at mid-rail input: the first Newton step overflows (ngspice fails the same way)
        // and stepping is disabled.
        string deck = TempDeck(Analyses.ScaleTests.InverterChain(300, 1.4).Replace(".end", ".options gminsteps=0 srcsteps=0\n.op\n.end", StringComparison.Ordinal));
        var error = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            Assert.Equal(SimulateExitCode.NotConverged, DeckRunner.Run(deck, null, TextWriter.Null, error));
            Assert.Contains("no convergence", error.ToString(), StringComparison.Ordinal);
            Assert.Contains("unknown '", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(deck);
        }
    }
}
