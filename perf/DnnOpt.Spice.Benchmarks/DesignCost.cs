using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Measurements;
using DnnOpt.Spice.Parsing;
using DnnOpt.Spice.Technology;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>
/// The testbenches of the built-in miller-ota sizing problem (src/DnnOpt.Sizing/Benchmarks/miller-ota_*.cir: same
/// circuit, sizes, sources, analyses and measures) with level-1 MOS cards in place of the generic 180 nm BSIM3 library,
/// whose AC small-signal model is not in the simulator yet; once it is, <see cref="DesignCostWork"/> can read the
/// problem's own decks instead.
/// </summary>
internal static class DesignCostDecks
{
    private const string Models = """
        .model nch nmos level=1 vto=0.45 kp=200u gamma=0.4 phi=0.8 lambda=0.08 tox=4n cgso=3e-10 cgdo=3e-10
        + cj=1e-3 cjsw=3e-10 pb=0.9
        .model pch pmos level=1 vto=-0.45 kp=80u gamma=0.4 phi=0.8 lambda=0.1 tox=4n cgso=3e-10 cgdo=3e-10
        + cj=1e-3 cjsw=3e-10 pb=0.9
        """;

    private const string Amplifier = """
        ib vdd bias {ibias}
        m8 bias bias 0 0 nch w=4u l={l5}
        m5 tail bias 0 0 nch w={w5} l={l5}
        m1 x inn tail 0 nch w={w1} l={l1}
        m2 y inp tail 0 nch w={w1} l={l1}
        m3 x x vdd vdd pch w={w3} l={l3}
        m4 y x vdd vdd pch w={w3} l={l3}
        m6 out y vdd vdd pch w={w6} l={l6}
        m7 out bias 0 0 nch w={w7} l={l5}
        cc y out {cc}
        cload out 0 {cl}
        """;

    private const string Sizes = """
        .param w1=12u l1=1u w3=20u l3=1u w5=8u l5=1u w6=80u l6=1u w7=20u cc=1p ibias=20u
        .param vdd=1.8 vcm=0.9 cl=2p
        """;

    /// <summary>Open-loop AC: the 1 GH inductor closes a unity-gain loop at DC only (operating point of the follower).</summary>
    public static readonly string Ac = string.Join('\n',
        "miller-ota open-loop ac (level 1)",
        Sizes,
        Models,
        "vdd vdd 0 {vdd}",
        "vcm cm 0 {vcm}",
        "vin inp cm dc 0 ac 1",
        "lfb out inn 1g",
        "cfb inn 0 1",
        Amplifier,
        ".ac dec 20 1 1g",
        ".meas ac gain_db find vdb(out) at=10",
        ".meas ac ugf when vdb(out)=0",
        ".meas ac phase_ugf find vp(out) when vdb(out)=0",
        ".end",
        string.Empty);

    /// <summary>Input-referred noise of the open-loop amplifier (same bias trick as <see cref="Ac"/>): the density at
    /// 1 kHz and the integrated total. ngspice 39 cannot measure noise; it runs the analysis and writes a raw file.</summary>
    public static readonly string Noise = string.Join('\n',
        "miller-ota input-referred noise (level 1)",
        Sizes,
        Models.Replace("pb=0.9", "pb=0.9 kf=1e-25 af=1", StringComparison.Ordinal),
        "vdd vdd 0 {vdd}",
        "vcm cm 0 {vcm}",
        "vin inp cm dc 0 ac 1",
        "lfb out inn 1g",
        "cfb inn 0 1",
        Amplifier,
        ".noise v(out) vin dec 20 1 1g",
        ".meas noise vn1k find inoise_spectrum at=1k",
        ".meas noise vntot param='inoise_total'",
        ".end",
        string.Empty);

    /// <summary>Unity-gain follower, 0.6 V step up and down: transition times, peak and settled levels.</summary>
    public static readonly string Tran = string.Join('\n',
        "miller-ota unity-gain step (level 1)",
        Sizes,
        Models,
        "vdd vdd 0 {vdd}",
        "vin inp 0 pulse(0.6 1.2 20n 1n 1n 230n 1u)",
        Amplifier.Replace("m1 x inn tail", "m1 x out tail", StringComparison.Ordinal),
        ".tran 0.5n 500n",
        ".meas tran t_rise trig v(out) val=0.66 rise=1 targ v(out) val=1.14 rise=1",
        ".meas tran t_fall trig v(out) val=1.14 fall=1 targ v(out) val=0.66 fall=1",
        ".meas tran vmax max v(out) from=20n to=250n",
        ".meas tran vhigh find v(out) at=245n",
        ".meas tran vlow find v(out) at=495n",
        ".end",
        string.Empty);
}

/// <summary>
/// The full per-design cost a sizing loop pays: the miller-ota problem's testbenches (open-loop AC with its operating
/// point, a ~1000-step unity-gain transient, and input-referred noise; <see cref="DesignCostDecks"/>), new sizes set, every
/// analysis run and every <c>.measure</c> evaluated, for a seeded sequence of designs around the reference sizes.
/// </summary>
internal sealed class DesignCostWork : IDisposable
{
    public static readonly string[] Variables = ["w1", "l1", "w3", "l3", "w5", "l5", "w6", "l6", "w7", "cc", "ibias"];

    private readonly string _directory;

    public DesignCostWork(int designs, int seed = 1)
    {
        _directory = Path.Combine(Path.GetTempPath(), $"dnnopt_designcost_{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        Technologies.WriteGeneric180(_directory);
        DeckPaths = [Path.Combine(_directory, "miller-ota_ac.cir"), Path.Combine(_directory, "miller-ota_tran.cir"), Path.Combine(_directory, "miller-ota_noise.cir")];
        File.WriteAllText(DeckPaths[0], DesignCostDecks.Ac);
        File.WriteAllText(DeckPaths[1], DesignCostDecks.Tran);
        File.WriteAllText(DeckPaths[2], DesignCostDecks.Noise);
        Circuits = [.. DeckPaths.Select(p => Circuit.Create(NetlistParser.ParseFile(p)))];
        double[] reference = [.. Variables.Select(v => Circuits[0].GetParameter(v))];

        // Designs within ±25 % of the committed reference design (log-uniform), as a search around a feasible point.
        var random = new Random(seed);
        Designs = [.. Enumerable.Range(0, designs).Select(_ => reference.Select(x => x * Math.Exp((random.NextDouble() - 0.5) * 0.5)).ToArray())];
    }

    public string[] DeckPaths { get; }

    public Circuit[] Circuits { get; }

    public double[][] Designs { get; }

    /// <summary>Managed: set the sizes on every testbench, run its analyses, evaluate its measures.</summary>
    public double RunManaged(double[] design)
    {
        double check = 0;
        for (int k = 0; k < Circuits.Length; k++)
        {
            check += RunManaged(design, k);
        }

        return check;
    }

    /// <summary>Managed, one testbench: set the sizes, run the analyses (saving what the measures read), measure.</summary>
    public double RunManaged(double[] design, int deck)
    {
        var values = new KeyValuePair<string, double>[Variables.Length];
        for (int i = 0; i < Variables.Length; i++)
        {
            values[i] = new KeyValuePair<string, double>(Variables[i], design[i]);
        }

        Circuit c = Circuits[deck];
        c.SetParameters(values);
        MeasureResults m = c.Measure(c.RunAnalyses(c.Measures.DeviceQuantities));
        double check = 0;
        for (int i = 0; i < m.Count; i++)
        {
            check += m[i].Succeeded ? m[i].Value : 0;
        }

        return check;
    }

    /// <summary>The noise testbench, which ngspice runs only with a raw file (batch mode, no .meas it can use).</summary>
    public static bool NeedsRawFile(int deck) => deck == 2;

    /// <summary>The deck text ngspice runs for a design: the .param line of the sizes replaced, <c>.save all</c> added
    /// (ngspice 39 otherwise saves only the measured vectors, and cannot save <c>vdb(out)</c>), noise measures removed
    /// (ngspice 39 rejects the analysis type).</summary>
    public string NgspiceDeck(int deck, double[] design)
    {
        var lines = File.ReadAllLines(DeckPaths[deck]).Where(l => !l.StartsWith(".meas noise", StringComparison.OrdinalIgnoreCase)).ToList();
        int p = lines.FindIndex(l => l.StartsWith(".param w1=", StringComparison.OrdinalIgnoreCase));
        lines[p] = ".param " + string.Join(' ', Variables.Select((v, i) => v + "=" + design[i].ToString("R", CultureInfo.InvariantCulture)));
        lines.Insert(lines.FindLastIndex(l => l.Trim().Equals(".end", StringComparison.OrdinalIgnoreCase)), ".save all");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Runs <c>ngspice -b</c> (with <c>-r</c> for the noise deck) on a deck text in the work directory;
    /// returns stdout+stderr and the wall time.</summary>
    public string RunNgspice(string exe, string deck, bool rawFile, out double wallMs)
    {
        string path = Path.Combine(_directory, $"design_{Guid.NewGuid():N}.cir");
        string raw = Path.ChangeExtension(path, ".raw");
        File.WriteAllText(path, deck);
        try
        {
            var psi = new ProcessStartInfo(exe, rawFile ? $"-b {path} -r {raw}" : $"-b {path}") { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.Environment["OMP_NUM_THREADS"] = "1";
            var sw = Stopwatch.StartNew();
            using Process proc = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ngspice");
            Task<string> err = proc.StandardError.ReadToEndAsync();
            string output = proc.StandardOutput.ReadToEnd() + err.Result;
            proc.WaitForExit();
            wallMs = sw.Elapsed.TotalMilliseconds;
            return output;
        }
        finally
        {
            File.Delete(path);
            File.Delete(raw);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

/// <summary>BenchmarkDotNet: the managed per-design cost (allocations included) of the miller-ota problem.</summary>
[MemoryDiagnoser]
public class DesignCostBenchmarks : IDisposable
{
    private DesignCostWork _work = null!;
    private int _next;

    private IReadOnlyList<AnalysisResult>[] _results = null!;

    [GlobalSetup]
    public void Setup()
    {
        _work = new DesignCostWork(designs: 17);
        _results = [.. _work.Circuits.Select(c => c.RunAnalyses())];
    }

    [GlobalCleanup]
    public void Cleanup() => _work.Dispose();

    public void Dispose()
    {
        _work?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public double MillerOtaDesign()
    {
        double[] design = _work.Designs[_next];
        _next = (_next + 1) % _work.Designs.Length;
        return _work.RunManaged(design);
    }

    /// <summary>The measure part alone: the 10 measures of the three testbenches over fixed results.</summary>
    [Benchmark]
    public double MeasuresOnly()
    {
        double sum = 0;
        for (int k = 0; k < _results.Length; k++)
        {
            MeasureResults m = _work.Circuits[k].Measure(_results[k]);
            sum += m[0].Value;
        }

        return sum;
    }
}

/// <summary>
/// The per-design peer table: the same designs through ngspice, one <c>ngspice -b</c> process per testbench per
/// design (what a sizing loop driving ngspice pays), and through the managed engine in-process; the measures of both
/// are printed for the first design as a cross-check.
/// </summary>
internal static partial class DesignCostPeer
{
    [GeneratedRegex(@"^\s*(\w+)\s+=\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex MeasureLine();

    public static int Run(string exe, int designs = 10)
    {
        using var work = new DesignCostWork(designs);
        CultureInfo ci = CultureInfo.InvariantCulture;

        // Cross-check on the first design: the measure values both simulators print.
        var ng = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int k = 0; k < work.DeckPaths.Length; k++)
        {
            foreach (Match m in MeasureLine().Matches(work.RunNgspice(exe, work.NgspiceDeck(k, work.Designs[0]), DesignCostWork.NeedsRawFile(k), out _)))
            {
                ng[m.Groups[1].Value] = m.Groups[2].Value;
            }
        }

        work.RunManaged(work.Designs[0]);
        Console.WriteLine("| measure (first design) | ngspice 39.3 | managed |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (Circuit c in work.Circuits)
        {
            MeasureResults mine = c.Measure(c.RunAnalyses());
            foreach (MeasureResult r in mine)
            {
                Console.WriteLine(string.Create(ci, $"| {r.Name} | {(ng.TryGetValue(r.Name, out string? v) ? v : r.Analysis == "noise" ? "(no .meas noise)" : "failed")} | {(r.Succeeded ? r.Value.ToString("E6", ci) : "failed")} |"));
            }
        }

        // ngspice: a process per testbench per design.
        int decks = work.DeckPaths.Length;
        var ngMs = new double[decks];
        foreach (double[] d in work.Designs)
        {
            for (int k = 0; k < decks; k++)
            {
                work.RunNgspice(exe, work.NgspiceDeck(k, d), DesignCostWork.NeedsRawFile(k), out double ms);
                ngMs[k] += ms / designs;
            }
        }

        // Managed: warmed for a second (tiered JIT), then the same designs in sequence, timed per testbench.
        var warm = Stopwatch.StartNew();
        for (int i = 0; warm.ElapsedMilliseconds < 1000; i++)
        {
            work.RunManaged(work.Designs[i % designs]);
        }

        var oursMs = new double[decks];
        foreach (double[] d in work.Designs)
        {
            for (int k = 0; k < decks; k++)
            {
                long start = Stopwatch.GetTimestamp();
                work.RunManaged(d, k);
                oursMs[k] += Stopwatch.GetElapsedTime(start).TotalMilliseconds / designs;
            }
        }

        string[] names = ["open-loop AC (op + 181 points) + 3 measures", "follower step (~1000 steps) + 5 measures", "input noise (op + 181 points) + 2 measures"];
        Console.WriteLine();
        Console.WriteLine(string.Create(ci, $"| miller-ota testbench, level 1, {designs} seeded designs | ngspice, a process each (ms) | managed in-process, new sizes included (ms) | ratio |"));
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        for (int k = 0; k < decks; k++)
        {
            Console.WriteLine(string.Create(ci, $"| {names[k]} | {ngMs[k]:G4} | {oursMs[k]:G4} | {ngMs[k] / oursMs[k]:F2}x |"));
        }

        Console.WriteLine(string.Create(ci, $"| per design (all three) | {ngMs.Sum():G4} | {oursMs.Sum():G4} | {ngMs.Sum() / oursMs.Sum():F2}x |"));
        return 0;
    }
}
