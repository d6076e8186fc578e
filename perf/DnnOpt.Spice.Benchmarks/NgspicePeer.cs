using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Devices;
using DnnOpt.Spice.Netlists;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>
/// Measures ngspice on the benchmark decks in the same run: in-process analysis time from ngspice's own statistics
/// (<c>rusage</c> after repeating the analysis in a <c>.control</c> loop) and per-process wall time
/// of <c>ngspice -b</c> on the deck; then the managed engine on the same work with a warmed Stopwatch loop; prints a
/// markdown table with ratios (ngspice time / managed time: above 1 means the managed engine is faster).
/// </summary>
internal static partial class NgspicePeer
{
    [GeneratedRegex(@"Total analysis time \(seconds\) = ([0-9.eE+-]+)")]
    private static partial Regex AnalysisTime();

    [GeneratedRegex(@"Matrix load time = ([0-9.eE+-]+)")]
    private static partial Regex LoadTime();

    [GeneratedRegex(@"Total iterations = ([0-9]+)")]
    private static partial Regex TotalIterations();

    /// <summary>Measures every row, or only the rows whose name contains <paramref name="filter"/>.</summary>
    public static int Run(string? filter = null)
    {
        string? exe = FindNgspice();
        if (exe is null)
        {
            Console.Error.WriteLine("ngspice is not on PATH (Debian: apt-get install -y ngspice)");
            return 1;
        }

        var rows = new List<(string Name, double NgInProcessMs, double NgProcessMs, double OursMs)>();
        bool Want(string name) => filter is null || name.Contains(filter, StringComparison.OrdinalIgnoreCase);
        string chain = Decks.InverterChain(1000);
        if (Want("OTA operating point")) rows.Add(Measure(exe, "OTA operating point", Decks.Ota, "op", 2000, c => c.OperatingPoint()));
        if (Want("OTA 201-point DC sweep")) rows.Add(Measure(exe, "OTA 201-point DC sweep", Decks.Ota, "dc " + Decks.Sweep(Decks.OtaSweep), 200, c => c.DcSweep([Sweep(Decks.OtaSweep)])));
        var smallSignal = new FrequencySweep(FrequencySweepKind.Decade, 20, 1, 1e9);
        if (Want("OTA 181-point AC (op included)")) rows.Add(Measure(exe, "OTA 181-point AC (op included)", Decks.OtaSmallSignal, "ac " + Decks.SmallSignalSweep, 500, c => c.Ac(smallSignal)));
        if (Want("OTA 181-point noise (op included)")) rows.Add(Measure(exe, "OTA 181-point noise (op included)", Decks.OtaSmallSignal, "noise v(out) vinp " + Decks.SmallSignalSweep, 500, c => c.Noise("out", null, "vinp", smallSignal)));
        if (Want("1000-stage chain operating point")) rows.Add(Measure(exe, "1000-stage chain operating point", chain, "op", 20, c => c.OperatingPoint()));
        if (Want("1000-stage chain 201-point DC sweep")) rows.Add(Measure(exe, "1000-stage chain 201-point DC sweep", chain, "dc " + Decks.Sweep(Decks.ChainSweep), 3, c => c.DcSweep([Sweep(Decks.ChainSweep)])));
        if (Want("Miller OTA transient (1 us, ~1000 steps)")) rows.Add(Measure(exe, "Miller OTA transient (1 us, ~1000 steps)", TransientDecks.MillerOta, TransientDecks.Analysis, 50, c => c.Transient(TransientDecks.Step, TransientDecks.Stop)));
        string bsimChain = Bsim3Decks.InverterChain(100);
        if (Want("BSIM3 OTA operating point (0.18 um card)")) rows.Add(Measure(exe, "BSIM3 OTA operating point (0.18 um card)", Bsim3Decks.Ota, "op", 2000, c => c.OperatingPoint()));
        if (Want("BSIM3 OTA 201-point DC sweep")) rows.Add(Measure(exe, "BSIM3 OTA 201-point DC sweep", Bsim3Decks.Ota, "dc " + Decks.Sweep(Bsim3Decks.OtaSweep), 200, c => c.DcSweep([Sweep(Bsim3Decks.OtaSweep)])));
        if (Want("BSIM3 100-stage chain operating point")) rows.Add(Measure(exe, "BSIM3 100-stage chain operating point", bsimChain, "op", 200, c => c.OperatingPoint()));
        if (Want("BSIM3 100-stage chain 201-point DC sweep")) rows.Add(Measure(exe, "BSIM3 100-stage chain 201-point DC sweep", bsimChain, "dc " + Decks.Sweep(Bsim3Decks.ChainSweep), 10, c => c.DcSweep([Sweep(Bsim3Decks.ChainSweep)])));
        if (Want("BSIM3 device load")) rows.Add(MeasureDeviceLoad(exe, "BSIM3 device load, us per instance and Newton iteration (100-stage chain)", bsimChain, 200, 200));

        CultureInfo ci = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("| analysis | ngspice in-process (ms) | managed in-process (ms) | ratio | ngspice per process (ms) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(ci, $"| {r.Name} | {r.NgInProcessMs:G4} | {r.OursMs:G4} | {r.NgInProcessMs / r.OursMs:F2}x | {r.NgProcessMs:G4} |"));
        }

        return 0;
    }

    private static DcSweep Sweep((string Source, double Start, double Stop, double Step) s) => new(s.Source, s.Start, s.Stop, s.Step);

    private static (string, double, double, double) Measure(string exe, string name, string deck, string analysis, int repeats, Action<Circuit> ours)
    {
        // ngspice in-process: repeat the analysis inside one process and read its own analysis-time statistic.
        // One OpenMP thread (ngspice's BSIM3 load can run in parallel): the comparison is single-threaded.
        string loop = deck.TrimEnd() + $"\n.control\nset num_threads=1\nrepeat {repeats}\n{analysis}\ndestroy all\nend\nrusage\nquit 0\n.endc\n.end\n";
        string log = RunNgspice(exe, loop, rawFile: false, out _);
        Match m = AnalysisTime().Match(log);
        double ngInProcess = m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1000 / repeats : double.NaN;

        // ngspice per process: start-up, parsing and one analysis, as a sizing loop driving ngspice -b pays.
        string single = deck.TrimEnd() + $"\n.{analysis}\n.end\n";
        const int processes = 5;
        double total = 0;
        for (int i = 0; i < processes; i++)
        {
            RunNgspice(exe, single, rawFile: true, out double ms);
            total += ms;
        }

        // Managed engine: same work on a circuit built once, warmed for a second so tiered JIT has settled.
        Circuit c = Circuit.Parse(Decks.WithEnd(deck));
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 1000)
        {
            ours(c);
        }

        int n = Math.Max(3, repeats);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            ours(c);
        }

        return (name, ngInProcess, total / processes, sw.Elapsed.TotalMilliseconds / n);
    }

    /// <summary>
    /// Cost of one device load per instance: ngspice's own "Matrix load time" divided by its Newton iterations and the
    /// instance count, over a loop of operating points; ours, the same Newton load (matrix and right-hand side cleared,
    /// every device loaded) repeated at the converged operating point and a slightly moved copy of it, alternately, so
    /// every load evaluates every device in full. Reported in microseconds, not milliseconds.
    /// </summary>
    private static (string, double, double, double) MeasureDeviceLoad(string exe, string name, string deck, int instances, int repeats)
    {
        string loop = deck.TrimEnd() + $"\n.control\nset num_threads=1\nrepeat {repeats}\nop\ndestroy all\nend\nrusage all\nquit 0\n.endc\n.end\n";
        string log = RunNgspice(exe, loop, rawFile: false, out _);
        Match load = LoadTime().Match(log);
        Match iterations = TotalIterations().Match(log);
        double ngUs = load.Success && iterations.Success
            ? double.Parse(load.Groups[1].Value, CultureInfo.InvariantCulture) * 1e6 / double.Parse(iterations.Groups[1].Value, CultureInfo.InvariantCulture) / instances
            : double.NaN;

        Circuit c = Circuit.Parse(Decks.WithEnd(deck));
        if (!c.OperatingPoint().Converged)
        {
            throw new InvalidOperationException("the chain must converge");
        }

        Engine engine = c.Engine;
        LoadContext ctx = engine.Context;
        ctx.Mode = LoadMode.Float;

        // Alternate between the operating point and a slightly moved copy, as Newton iterations move every voltage:
        // a device reuses its Vbs-only terms when Vbs repeats exactly, which a load at fixed voltages would always hit.
        double[] converged = (double[])engine.Solution.Clone();
        double[] moved = [.. converged.Select((v, i) => v + (1e-6 * ((i % 7) + 1)))];
        bool flip = false;
        void LoadAll()
        {
            flip = !flip;
            ctx.Solution = flip ? moved : converged;
            Array.Clear(ctx.Matrix);
            Array.Clear(ctx.Rhs);
            foreach (IDevice d in engine.Devices)
            {
                d.Load(ctx);
            }
        }

        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 1000)
        {
            LoadAll();
        }

        const int n = 2000;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            LoadAll();
        }

        return (name, ngUs, double.NaN, sw.Elapsed.TotalMilliseconds * 1000 / n / instances);
    }

    /// <summary>Runs ngspice in batch mode; with a raw file, as <c>ngspice -b deck -r raw</c> (batch mode runs no analysis without an output).</summary>
    private static string RunNgspice(string exe, string deck, bool rawFile, out double wallMs)
    {
        string path = Path.Combine(Path.GetTempPath(), $"dnnopt_bench_{Guid.NewGuid():N}.cir");
        string raw = Path.ChangeExtension(path, ".raw");
        File.WriteAllText(path, deck);
        try
        {
            var psi = new ProcessStartInfo(exe, rawFile ? $"-b {path} -r {raw}" : $"-b {path}") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.Environment["OMP_NUM_THREADS"] = "1";
            var sw = Stopwatch.StartNew();
            using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ngspice");
            // Read both pipes concurrently: BSIM3 prints parameter-check warnings on stderr every run, enough to fill
            // the pipe and deadlock a sequential reader.
            Task<string> error = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd() + error.GetAwaiter().GetResult();
            p.WaitForExit();
            wallMs = sw.Elapsed.TotalMilliseconds;
            return output;
        }
        finally
        {
            File.Delete(path);
            File.Delete(raw);
        }
    }

    private static string? FindNgspice() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "ngspice")).FirstOrDefault(File.Exists);
}
