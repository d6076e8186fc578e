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
}
