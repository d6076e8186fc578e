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

    [Fact]
    public void Measures_print_as_name_value_lines_and_failures_as_failed_with_a_warning()
    {
        string deck = TempDeck("div\nv1 1 0 0\nr1 1 2 1k\nr2 2 0 1k\n.dc v1 0 10 1\n.meas dc half find v(2) at=5.5\n"
            + ".meas dc never when v(2)=100\n.meas dc twice param='half*2'\n.meas tran t1 when v(2)=1\n.end\n");
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            Assert.Equal(SimulateExitCode.Success, DeckRunner.Run(deck, null, output, error));
            string text = output.ToString();
            Assert.Contains("DC sweep of v1: 11 points", text, StringComparison.Ordinal);
            Assert.Contains("\nhalf = 2.750000000e+00\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Contains("\nnever = failed\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Contains("\ntwice = 5.500000000e+00\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.DoesNotContain("t1 =", text, StringComparison.Ordinal);
            Assert.Contains(deck + ":7: .measure dc never failed: out of interval", error.ToString(), StringComparison.Ordinal);
            Assert.Contains(deck + ":9: .measure tran t1 not evaluated: the deck has no tran analysis", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(deck);
        }
    }

    [Fact]
    public void A_malformed_measure_is_bad_input_before_anything_runs()
    {
        string deck = TempDeck("div\nv1 1 0 0\nr1 1 0 1k\n.dc v1 0 10 1\n.meas dc bad find v(1) at\n.end\n");
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            Assert.Equal(SimulateExitCode.BadInput, DeckRunner.Run(deck, null, output, error));
            Assert.Contains(deck + ":5: .measure bad:", error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("DC sweep", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(deck);
        }
    }

    [Fact]
    public void Raw_file_holds_one_plot_per_analysis_and_complex_plots_as_re_im_pairs()
    {
        var ac = new Measurements.SyntheticVectors("ac", "frequency", [1e3, 1e4])
            .Add("v(out)", f => new System.Numerics.Complex(1, -f / 1e4))
            .Add("i(v1)", f => new System.Numerics.Complex(-1e-3, 0));
        var tran = new Measurements.SyntheticVectors("tran", "time", [0, 0.5, 1]).Add("v(out)", t => 2 * t);
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        RawFileWriter.Write(writer, "t", ac);
        RawFileWriter.Write(writer, "t", tran);
        string[] lines = writer.ToString().Split('\n');
        Assert.Equal(2, lines.Count(l => l.StartsWith("Title: t", StringComparison.Ordinal)));
        Assert.Contains("Plotname: AC Analysis", lines);
        Assert.Contains("Flags: complex", lines);
        Assert.Contains("\t0\tfrequency\tfrequency", lines);
        Assert.Contains("\t1\tv(out)\tvoltage", lines);
        Assert.Contains("\t2\ti(v1)\tcurrent", lines);
        Assert.Contains(" 1\t1.0000000000000000E+004,0.0000000000000000E+000", lines);
        Assert.Contains("\t1.0000000000000000E+000,-1.0000000000000000E+000", lines);
        Assert.Contains("Plotname: Transient Analysis", lines);
        Assert.Contains("Flags: real", lines);
        Assert.Contains("\t0\ttime\ttime", lines);
        Assert.Contains(" 2\t1.0000000000000000E+000", lines);
    }

    [Fact]
    public void Measured_device_quantities_are_saved_for_the_measures()
    {
        const string text = "nmos\nvd d 0 1.8\nvg g 0 0\nm1 d g 0 0 nch w=5u l=1u\n"
            + ".model nch nmos level=1 vto=0.7 kp=100u lambda=0.03\n.dc vg 0 1.8 0.1\n"
            + ".meas dc gmmax max @m1[gm]\n.meas dc gm1 find @m1[gm] at=1.25\n.meas dc ghost max @m9[gm]\n.end\n";
        string deck = TempDeck(text);
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            Assert.Equal(SimulateExitCode.Success, DeckRunner.Run(deck, null, output, error));
            Circuits.Circuit c = Circuits.Circuit.Parse(text, "nmos.cir");
            Assert.Equal(["@m1[gm]", "@m9[gm]"], c.Measures.DeviceQuantities);
            var dc = (Spice.Analyses.DcSweepResult)c.RunAnalyses(["@m1[gm]"])[0];
            double[] gm = dc.Get("@m1[gm]");
            string printed = output.ToString().ReplaceLineEndings("\n");
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"\ngmmax = {gm.Max():0.000000000e+00}\n"), printed, StringComparison.Ordinal);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"\ngm1 = {(gm[12] + gm[13]) / 2:0.000000000e+00}\n"), printed, StringComparison.Ordinal);
            Assert.Contains("\nghost = failed\n", printed, StringComparison.Ordinal);
            Assert.Contains("no such vector as '@m9[gm]'", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(deck);
        }
    }
}
