using System.Globalization;
using System.Runtime.CompilerServices;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;
using Xunit.Abstractions;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>
/// The <c>.ac</c> and <c>.noise</c> frequency grids against the frequency vectors ngspice 39.3 prints for the same
/// sweep lines (stored in Reference/Grids/frequency_grids.txt, 17 significant digits; re-run live when ngspice is on
/// PATH). Spans that are and are not whole numbers of decades or octaves: ngspice's <c>.ac dec</c> stretches the step
/// so that the last point lands on fstop, its <c>.noise dec</c> and every <c>oct</c> sweep step by 10^(1/n) or
/// 2^(1/n).
/// </summary>
public sealed class FrequencyGridTests(ITestOutputHelper output)
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    private static string GridFile => Path.Combine(ReferenceData.OutputDirectory, "Grids", "frequency_grids.txt");

    /// <summary>The sweeps: analysis and the sweep fields as written on the deck line.</summary>
    public static TheoryData<string> Sweeps() => new()
    {
        "ac dec 40 10meg 40g",     // ctle.md's case: 145 points, the 107th at 4.48246 GHz
        "ac dec 40 10meg 100g",    // the ctle deck's own sweep: 4 whole decades
        "ac dec 20 1 1g",
        "ac dec 10 1 5",           // 6.99 steps: 6 stretched steps
        "ac dec 10 1 4",
        "ac dec 10 1 3.5",
        "ac dec 3 1 1k",
        "ac dec 7 13 2.7meg",
        "ac dec 1 1 10",
        "ac dec 10 1k 1.5k",       // a single stretched step
        "ac oct 4 1 10",           // oct is not stretched
        "ac oct 3 1 2.9",
        "ac oct 2 5 5",
        "ac lin 7 1 4.2",
        "noise dec 10 1 5",        // noise dec is not stretched either
        "noise dec 40 10meg 40g",
        "noise dec 20 100k 1g",
        "noise dec 5 2 3",
        "noise oct 4 1 10",
    };

    [Theory]
    [MemberData(nameof(Sweeps))]
    public void Grid_equals_ngspices_stored_frequency_vector(string sweep)
    {
        double[] expected = ReadStored()[sweep];
        double[] got = OurGrid(sweep);
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            // The stored values carry 17 significant digits, so they are the doubles ngspice computed.
            Assert.True(expected[i] == got[i], string.Create(Ci, $"{sweep}: point {i} is {got[i]:R}, ngspice {expected[i]:R}"));
        }
    }

    [Fact]
    public void Ctle_note_point_107_is_where_ngspice_puts_it()
    {
        double[] f = OurGrid("ac dec 40 10meg 40g");
        Assert.Equal(145, f.Length);
        Assert.Equal(4.48246e9, f[106], 4.48246e9 * 1e-6);
        Assert.Equal(40e9, f[^1], 40e9 * 1e-12);
    }

    [Theory]
    [InlineData(".ac dec 5 2 3")]
    [InlineData(".ac dec 10 5 5")]
    public void Ac_dec_span_shorter_than_one_step_is_an_error_naming_the_line(string line)
    {
        // ngspice 39.3 loops forever on the first and produces no points on the second.
        Circuit c = Circuit.Parse($"g\nv1 1 0 ac 1\nr1 1 0 1k\n{line}\n.end\n", "deck.cir");
        var e = Assert.Throws<SpiceParseException>(() => c.RunAnalyses());
        Assert.StartsWith("deck.cir:4:", e.Message, StringComparison.Ordinal);
        Assert.Contains("less than one step", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sweeps))]
    public void Stored_grid_is_what_ngspice_prints(string sweep)
    {
        string? exe = NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        double[] live = RunNgspice(exe!, sweep);
        if (Environment.GetEnvironmentVariable(ReferenceData.RegenerateVariable) == "1")
        {
            // Each theory case rewrites its own line of the source-tree file.
            string target = Path.Combine(SourceReferenceDirectory(), "Grids", "frequency_grids.txt");
            lock (Ci)
            {
                var lines = File.Exists(target) ? File.ReadAllLines(target).Where(l => !l.StartsWith(sweep + "|", StringComparison.Ordinal)).ToList() : [];
                if (lines.Count == 0)
                {
                    lines.Add("# frequency vectors printed by " + NgspiceProcess.Version(exe!) + " (wrdata, numdgt=16): sweep|f0 f1 ...");
                }

                lines.Add(sweep + "|" + string.Join(' ', live.Select(v => v.ToString("R", Ci))));
                File.WriteAllLines(target, lines);
            }

            output.WriteLine($"wrote {sweep} to {target}");
            return;
        }

        double[] stored = ReadStored()[sweep];
        Assert.Equal(stored, live);
    }

    /// <summary>Reference/ in the source tree (this file sits in Analyses/, one level below the project).</summary>
    private static string SourceReferenceDirectory([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here))!, "Reference");

    private static double[] OurGrid(string sweep)
    {
        string[] f = sweep.Split(' ', 2);
        string line = f[0] == "ac" ? ".ac " + f[1] : ".noise v(2) v1 " + f[1];
        Circuit c = Circuit.Parse($"grid\nv1 1 0 dc 0 ac 1\nr1 1 2 1k\nr2 2 0 1k\n{line}\n.end\n");
        IVectorSet result = (IVectorSet)Assert.Single(c.RunAnalyses());
        return [.. result.Scale];
    }

    private static Dictionary<string, double[]> ReadStored()
    {
        var d = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (string l in File.ReadAllLines(GridFile).Where(l => !l.StartsWith('#')))
        {
            string[] parts = l.Split('|');
            d[parts[0]] = [.. parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, NumberStyles.Float, Ci))];
        }

        return d;
    }

    /// <summary>ngspice's frequency scale for the sweep (the first wrdata column).</summary>
    private static double[] RunNgspice(string exe, string sweep)
    {
        string[] f = sweep.Split(' ', 2);
        string tag = Guid.NewGuid().ToString("N");
        string dir = Path.GetTempPath();
        string deck = Path.Combine(dir, $"dnnopt_grid_{tag}.cir");
        string data = Path.Combine(dir, $"dnnopt_grid_{tag}.txt");
        string analysis = f[0] == "ac" ? ".ac " + f[1] : ".noise v(2) v1 " + f[1];
        string vector = f[0] == "ac" ? "v(2)" : "onoise_spectrum";
        string select = f[0] == "ac" ? string.Empty : "setplot noise1\n";
        File.WriteAllText(deck, $"grid\nv1 1 0 dc 0 ac 1\nr1 1 2 1k\nr2 2 0 1k\n{analysis}\n.control\nrun\n{select}option numdgt=16\nwrdata {data} {vector}\nquit 0\n.endc\n.end\n");
        try
        {
            (string log, int code) = NgspiceProcess.Run(exe, $"-b {Path.GetFileName(deck)}", dir);
            if (code != 0 || !File.Exists(data))
            {
                throw new InvalidOperationException($"ngspice failed on '{sweep}' (exit {code}):\n{log}");
            }

            return [.. File.ReadAllLines(data)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(c => c.Length > 0)
                .Select(c => double.Parse(c[0], NumberStyles.Float, Ci))];
        }
        finally
        {
            File.Delete(deck);
            File.Delete(data);
        }
    }
}
