using System.Globalization;
using Xunit.Abstractions;

namespace DnnOpt.Spice.Tests;

/// <summary>
/// Re-runs ngspice on every stored deck and checks the stored CSV is still what ngspice produces, so a reference
/// cannot go stale. With DNNOPT_REGENERATE_REFERENCES=1 it rewrites the CSVs in the source tree instead.
/// </summary>
public sealed class LiveNgspiceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Decks() => ReferenceTests.Decks();

    [Theory]
    [MemberData(nameof(Decks))]
    public void Stored_reference_is_what_ngspice_produces(string deck)
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        string path = ReferenceData.DeckPath(deck);
        ReferenceData.Table live = ReferenceData.RunNgspice(exe!, path);
        if (Environment.GetEnvironmentVariable(ReferenceData.RegenerateVariable) == "1")
        {
            string target = Path.Combine(ReferenceData.SourceDirectory(), deck + ".csv");
            ReferenceData.WriteCsv(target, deck, NgspiceProcess.Version(exe!), live);
            output.WriteLine($"wrote {target}");
            return;
        }

        ReferenceData.Table stored = ReferenceData.ReadCsv(Path.ChangeExtension(path, ".csv"));
        Assert.Equal(stored.Vectors, live.Vectors);
        Assert.Equal(stored.Rows.Count, live.Rows.Count);
        for (int r = 0; r < stored.Rows.Count; r++)
        {
            for (int c = 0; c < stored.Vectors.Length; c++)
            {
                // Same program, same deck: only the last printed digit may differ across builds.
                Tolerance.Close(stored.Rows[r][c], live.Rows[r][c], 1e-12, 1e-300, string.Create(CultureInfo.InvariantCulture, $"{deck} {stored.Vectors[c]} row {r}"));
            }
        }
    }

    public static TheoryData<string> MeasureDecks() => Measurements.MeasureReferenceTests.Decks();

    [Theory]
    [MemberData(nameof(MeasureDecks))]
    public void Stored_measure_values_are_what_ngspice_prints(string deck)
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        string path = ReferenceData.MeasureDeckPath(deck);
        ReferenceData.Table live = ReferenceData.RunNgspiceMeasures(exe!, path);
        if (Environment.GetEnvironmentVariable(ReferenceData.RegenerateVariable) == "1")
        {
            string target = Path.Combine(ReferenceData.SourceDirectory(), "Measures", deck + ".csv");
            ReferenceData.WriteCsv(target, deck, NgspiceProcess.Version(exe!), live, ReferenceData.MeasureCommand);
            output.WriteLine($"wrote {target}");
            return;
        }

        ReferenceData.Table stored = ReferenceData.ReadCsv(Path.ChangeExtension(path, ".csv"));
        Assert.Equal(stored.Vectors, live.Vectors);
        for (int c = 0; c < stored.Vectors.Length; c++)
        {
            Tolerance.Close(stored.Rows[0][c], live.Rows[0][c], 1e-12, 1e-300, $"{deck} {stored.Vectors[c]}");
        }
    }

    [Theory]
    [InlineData("divider")]
    [InlineData("resistor_sweep")]
    [InlineData("mirror")]
    public void Raw_file_is_read_back_by_ngspice(string deck)
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        string path = ReferenceData.DeckPath(deck);
        string raw = Path.Combine(Path.GetTempPath(), $"dnnopt_{Guid.NewGuid():N}.raw");
        try
        {
            Assert.Equal(Spice.Output.SimulateExitCode.Success, Spice.Output.DeckRunner.Run(path, raw, TextWriter.Null, TextWriter.Null));
            string[] vectors = [.. ReferenceData.CompareVectors(path).Where(v => !v.StartsWith('@'))];
            ReferenceData.Table loaded = ReferenceData.LoadRawWithNgspice(exe!, raw, vectors);
            ReferenceData.Table reference = ReferenceData.ReadCsv(Path.ChangeExtension(path, ".csv"));
            Assert.Equal(reference.Rows.Count, loaded.Rows.Count);
            foreach (string v in vectors)
            {
                double[] want = reference.Column(v);
                double[] got = loaded.Column(v);
                for (int i = 0; i < want.Length; i++)
                {
                    Tolerance.Close(want[i], got[i], 1e-6, v.StartsWith("v(", StringComparison.Ordinal) ? 1e-6 : 1e-12, $"{deck} {v} row {i} read back from the raw file");
                }
            }
        }
        finally
        {
            File.Delete(raw);
        }
    }

    [Fact]
    public void Raw_file_with_several_plots_is_read_back_by_ngspice()
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        string deck = Path.Combine(Path.GetTempPath(), $"dnnopt_{Guid.NewGuid():N}.cir");
        string raw = Path.ChangeExtension(deck, ".raw");
        File.WriteAllText(deck, "two plots\nv1 1 0 3\nr1 1 2 1k\nr2 2 0 2k\n.op\n.dc v1 0 3 0.5\n.end\n");
        try
        {
            Assert.Equal(Spice.Output.SimulateExitCode.Success, Spice.Output.DeckRunner.Run(deck, raw, TextWriter.Null, TextWriter.Null));
            ReferenceData.Table op = ReferenceData.LoadRawWithNgspice(exe!, raw, ["v(2)", "i(v1)"], "op1");
            Tolerance.Close(2, op.Column("v(2)")[0], 1e-12, 0, "op v(2)");
            Tolerance.Close(-1e-3, op.Column("i(v1)")[0], 1e-12, 0, "op i(v1)");
            ReferenceData.Table dc = ReferenceData.LoadRawWithNgspice(exe!, raw, ["v(2)"], "dc1");
            Tolerance.AllClose([0, 1.0 / 3, 2.0 / 3, 1, 4.0 / 3, 5.0 / 3, 2], [.. dc.Column("v(2)")], 1e-12, 1e-15, "dc v(2)");
        }
        finally
        {
            File.Delete(deck);
            File.Delete(raw);
        }
    }

    [Fact]
    public void Integrated_noise_plot_is_read_back_by_ngspice()
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        string path = ReferenceData.DeckPath("noise_divider");
        string raw = Path.Combine(Path.GetTempPath(), $"dnnopt_{Guid.NewGuid():N}.raw");
        try
        {
            Assert.Equal(Spice.Output.SimulateExitCode.Success, Spice.Output.DeckRunner.Run(path, raw, TextWriter.Null, TextWriter.Null));
            Spice.Circuits.Circuit c = Spice.Circuits.Circuit.Create(Spice.Parsing.NetlistParser.ParseFile(path));
            var noise = (Spice.Analyses.NoiseResult)c.RunAnalyses().Single();

            // ngspice's own integrated plot names its totals v(onoise_total) and v(inoise_total), one point each.
            ReferenceData.Table loaded = ReferenceData.LoadRawWithNgspice(exe!, raw, ["v(onoise_total)", "v(inoise_total)"], "noise2");
            Tolerance.Close(noise.OutputNoiseTotal, loaded.Rows.Single()[0], 1e-15, 0, "onoise_total");
            Tolerance.Close(noise.InputNoiseTotal, loaded.Rows.Single()[1], 1e-15, 0, "inoise_total");
            ReferenceData.Table reference = ReferenceData.ReadCsv(Path.ChangeExtension(path, ".csv"));
            Tolerance.Close(reference.Column("onoise_total")[0], noise.OutputNoiseTotal, 1e-6, 0, "onoise_total vs ngspice");
        }
        finally
        {
            File.Delete(raw);
        }
    }

    [Fact]
    public void Complex_and_real_plots_of_ac_tran_and_noise_are_read_back_by_ngspice()
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        double[] freq = Measurements.SyntheticVectors.Decades(10, 1e5, 5);
        var ac = new Measurements.SyntheticVectors("ac", "frequency", freq).Add("v(out)", f => 1 / new System.Numerics.Complex(1, f / 1e3));
        var tran = new Measurements.SyntheticVectors("tran", "time", Measurements.SyntheticVectors.Linear(0, 1e-6, 10)).Add("v(out)", t => Math.Sin(1e7 * t));
        var noise = new Measurements.SyntheticVectors("noise", "frequency", freq).Add("onoise_spectrum", f => 4e-9 / Math.Sqrt(f));
        string raw = Path.Combine(Path.GetTempPath(), $"dnnopt_{Guid.NewGuid():N}.raw");
        try
        {
            using (var w = new StreamWriter(raw) { NewLine = "\n" })
            {
                Spice.Output.RawFileWriter.Write(w, "synthetic", ac);
                Spice.Output.RawFileWriter.Write(w, "synthetic", tran);
                Spice.Output.RawFileWriter.Write(w, "synthetic", noise);
            }

            // wrdata writes a complex vector as two columns, real and imaginary.
            ReferenceData.Table a = ReferenceData.LoadRawWithNgspice(exe!, raw, ["v(out)"], "ac1");
            Assert.Equal(freq.Length, a.Rows.Count);
            for (int i = 0; i < freq.Length; i++)
            {
                System.Numerics.Complex h = 1 / new System.Numerics.Complex(1, freq[i] / 1e3);
                Tolerance.Close(h.Real, a.Rows[i][0], 1e-14, 0, $"ac re {i}");
                Tolerance.Close(h.Imaginary, a.Rows[i][1], 1e-14, 0, $"ac im {i}");
            }

            ReferenceData.Table t = ReferenceData.LoadRawWithNgspice(exe!, raw, ["v(out)"], "tran1");
            Tolerance.AllClose([.. tran.Scale.Select(x => Math.Sin(1e7 * x))], [.. t.Column("v(out)")], 1e-14, 1e-16, "tran");
            ReferenceData.Table n = ReferenceData.LoadRawWithNgspice(exe!, raw, ["onoise_spectrum"], "noise1");
            Tolerance.AllClose([.. freq.Select(f => 4e-9 / Math.Sqrt(f))], [.. n.Column("onoise_spectrum")], 1e-14, 0, "noise");
        }
        finally
        {
            File.Delete(raw);
        }
    }

    [Theory]
    [InlineData("rc_ac", "ac1", "v(out)")]
    [InlineData("ota5t_ac", "ac1", "v(out)")]
    [InlineData("tran_rc", "tran1", "v(out)")]
    [InlineData("tran_inverter_chain", "tran1", "v(n5)")]
    [InlineData("noise_divider", "noise1", "onoise_spectrum")]
    [InlineData("noise_ota5t", "noise1", "inoise_spectrum")]
    public void Ac_and_transient_raw_files_are_read_back_by_ngspice(string deck, string plot, string vector)
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        string path = ReferenceData.DeckPath(deck);
        string raw = Path.Combine(Path.GetTempPath(), $"dnnopt_{Guid.NewGuid():N}.raw");
        try
        {
            Assert.Equal(Spice.Output.SimulateExitCode.Success, Spice.Output.DeckRunner.Run(path, raw, TextWriter.Null, TextWriter.Null));
            Spice.Circuits.Circuit c = Spice.Circuits.Circuit.Create(Spice.Parsing.NetlistParser.ParseFile(path));
            var set = (Spice.Analyses.IVectorSet)c.RunAnalyses().Single();
            Assert.True(set.TryGetVector(vector, out IReadOnlyList<System.Numerics.Complex>? want));
            ReferenceData.Table loaded = ReferenceData.LoadRawWithNgspice(exe!, raw, [vector], plot);
            Assert.Equal(want.Count, loaded.Rows.Count);
            for (int i = 0; i < want.Count; i++)
            {
                // A complex vector comes back as two columns (real, imaginary); a real one as one.
                Tolerance.Close(want[i].Real, loaded.Rows[i][0], 1e-15, 1e-300, $"{deck} {vector} re row {i}");
                if (set.IsComplex)
                {
                    Tolerance.Close(want[i].Imaginary, loaded.Rows[i][1], 1e-15, 1e-300, $"{deck} {vector} im row {i}");
                }
            }
        }
        finally
        {
            File.Delete(raw);
        }
    }
}
