using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>
/// The scale study (issue 9, section Scale): operating point and per-design evaluation time and memory against device
/// count (about 1k, 10k, 100k MOSFETs) on generated decks (<see cref="ScaleDecks"/>), ngspice measured in the same run
/// on the same deck text. Every case runs in a fresh process under <c>/usr/bin/time</c> (maximum RSS), the managed one
/// as a child of this program (<c>--scale-case</c>) so its peak memory and JIT state do not leak between sizes.
/// ngspice's times come from its own <c>rusage</c> statistics ("elapsed time since last call" around each phase),
/// with <c>set num_threads=1</c>; a new design is <c>alterparam wn=...</c>, <c>reset</c>, <c>op</c> (ngspice re-reads
/// and re-expands the deck on <c>reset</c>), the managed one <c>Circuit.SetParameter</c> then <c>OperatingPoint</c>.
/// Prints a markdown table, growth exponents (least-squares slope of log time against log device count) and writes CSV.
/// </summary>
internal static partial class ScaleStudy
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    [GeneratedRegex(@"elapsed time since last call \(seconds\) = ([0-9.eE+-]+)")]
    private static partial Regex SinceLastCall();

    [GeneratedRegex(@"Total iterations = ([0-9]+)")]
    private static partial Regex TotalIterations();

    [GeneratedRegex(@"Circuit total non-zeroes = ([0-9]+)")]
    private static partial Regex TotalNonzeros();

    [GeneratedRegex(@"Circuit Equations = ([0-9]+)")]
    private static partial Regex Equations();

    [GeneratedRegex(@"Total analysis time \(seconds\) = ([0-9.eE+-]+)")]
    private static partial Regex AnalysisTime();

    [GeneratedRegex(@"Matrix reorder time = ([0-9.eE+-]+)")]
    private static partial Regex ReorderTime();

    [GeneratedRegex(@"Total elapsed time \(seconds\) = ([0-9.eE+-]+)")]
    private static partial Regex TotalElapsed();

    [GeneratedRegex(@"@@maxrss ([0-9]+)")]
    private static partial Regex MaxRss();

    /// <summary>
    /// <c>--scale [SIZES] [FILTER] [CSV]</c>: SIZES comma-separated requested MOSFET counts (default
    /// 1000,10000,100000); FILTER a substring of the case name (<c>chain-mos1</c>, <c>array-bsim3</c>, ...; <c>all</c>);
    /// CSV the results file (default perf/DnnOpt.Spice.Benchmarks/scale-results.csv under the current directory).
    /// </summary>
    public static int Run(string[] args)
    {
        int[] sizes = args.Length > 0 ? [.. args[0].Split(',').Select(s => int.Parse(s, Ci))] : [1000, 10000, 100000];
        string filter = args.Length > 1 ? args[1] : "all";
        string csv = args.Length > 2 ? args[2] : Path.Combine("perf", "DnnOpt.Spice.Benchmarks", "scale-results.csv");
        string? ngspice = FindNgspice();
        if (ngspice is null)
        {
            Console.Error.WriteLine("ngspice is not on PATH (Debian: apt-get install -y ngspice)");
            return 1;
        }

        string dir = Path.Combine(Path.GetTempPath(), $"scale-study-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var rows = new List<Row>();
        try
        {
            foreach (ScaleTopology topology in Enum.GetValues<ScaleTopology>())
            {
                foreach (ScaleModel model in Enum.GetValues<ScaleModel>())
                {
                    string name = $"{topology}-{model}".ToLowerInvariant();
                    if (filter != "all" && !name.Contains(filter, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    foreach (int size in sizes)
                    {
                        Row row = Measure(ngspice, dir, topology, model, size);
                        rows.Add(row);
                        Console.WriteLine(row.Summary());
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        WriteCsv(csv, rows, args);
        PrintTable(rows);
        return 0;
    }

    /// <summary><c>--scale-case TOPOLOGY MODEL SIZE DECK</c>: the managed measurement of one deck, as key=value lines.</summary>
    public static int RunCase(string[] args)
    {
        ScaleTopology topology = Enum.Parse<ScaleTopology>(args[0], ignoreCase: true);
        ScaleModel model = Enum.Parse<ScaleModel>(args[1], ignoreCase: true);
        int size = int.Parse(args[2], Ci);
        string deckPath = args[3];

        // JIT warm-up on a small deck of the same family, so the first measured op is not compilation.
        Circuit warm = Circuit.Parse(ScaleDecks.Deck(topology, model, 40) + ".end\n");
        for (int i = 0; i < 20; i++)
        {
            warm.SetParameter(ScaleDecks.DesignParameter, ScaleDecks.NominalWidth * (1 + (0.01 * (i % 2))));
            _ = warm.OperatingPoint();
        }

        warm = null!;
        string text = File.ReadAllText(deckPath);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long heap0 = GC.GetTotalMemory(forceFullCollection: true);
        long alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        Netlist netlist = NetlistParser.Parse(text, deckPath);
        double parseMs = sw.Elapsed.TotalMilliseconds;
        long allocParse = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
        sw.Restart();
        Circuit c = Circuit.Create(netlist);
        double buildMs = sw.Elapsed.TotalMilliseconds;
        long allocBuild = GC.GetTotalAllocatedBytes(precise: true) - alloc0 - allocParse;
        text = null!;
        long heap1 = GC.GetTotalMemory(forceFullCollection: true);

        long alloc1 = GC.GetTotalAllocatedBytes(precise: true);
        sw.Restart();
        OperatingPointResult op = c.OperatingPoint();
        double opFirstMs = sw.Elapsed.TotalMilliseconds;
        long allocOpFirst = GC.GetTotalAllocatedBytes(precise: true) - alloc1;
        long iterations = c.NewtonIterations;
        string probe = ScaleDecks.ProbeNode(topology, size);
        double probeValue = op.Converged ? op.Voltage(probe) : double.NaN;

        int repeats = Repeats(size);
        long alloc2 = GC.GetTotalAllocatedBytes(precise: true);
        sw.Restart();
        for (int i = 0; i < repeats; i++)
        {
            op = c.OperatingPoint();
        }

        double opMs = sw.Elapsed.TotalMilliseconds / repeats;
        long allocOp = (GC.GetTotalAllocatedBytes(precise: true) - alloc2) / repeats;

        // A new design: the width parameter changes (every device's W), then the operating point is solved again.
        long iterationsBefore = c.NewtonIterations;
        double setMs = 0;
        double designMs = 0;
        bool designsConverged = true;
        for (int i = 0; i < repeats; i++)
        {
            double w = ScaleDecks.NominalWidth * (1.05 + (0.05 * (i % 2)));
            sw.Restart();
            c.SetParameter(ScaleDecks.DesignParameter, w);
            setMs += sw.Elapsed.TotalMilliseconds;
            OperatingPointResult d = c.OperatingPoint();
            designMs += sw.Elapsed.TotalMilliseconds;
            designsConverged &= d.Converged;
        }

        // Breakdown at the last design's final Newton matrix: one device-load pass, one pivot ordering (Markowitz, as
        // the first factorisation or a re-ordering pays), one numeric refactorisation with the order kept.
        Engine engine = c.Engine;
        var values = (double[])engine.Context.Matrix.Clone();
        sw.Restart();
        Array.Clear(engine.Context.Matrix);
        Array.Clear(engine.Context.Rhs);
        foreach (Devices.IDevice d in engine.Devices)
        {
            d.Load(engine.Context);
        }

        double loadMs = sw.Elapsed.TotalMilliseconds;
        engine.Lu.InvalidateOrdering();
        sw.Restart();
        _ = engine.Lu.Factor(values);
        double orderMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        _ = engine.Lu.Factor(values);
        double refactorMs = sw.Elapsed.TotalMilliseconds;

        var o = new StringBuilder();
        void Put(string key, object value) => o.Append(Ci, $"{key}={value}\n");
        Put("unknowns", c.UnknownNames.Count);
        Put("devices", c.DeviceNames.Count());
        Put("mosfets", c.DeviceNames.Count(n => n[0] == 'm'));
        Put("parse_ms", parseMs.ToString("R", Ci));
        Put("build_ms", buildMs.ToString("R", Ci));
        Put("op_first_ms", opFirstMs.ToString("R", Ci));
        Put("op_ms", opMs.ToString("R", Ci));
        Put("setparam_ms", (setMs / repeats).ToString("R", Ci));
        Put("design_ms", (designMs / repeats).ToString("R", Ci));
        Put("converged", op.Converged && designsConverged);
        Put("iterations", iterations);
        Put("lu_nonzeros", c.LuNonzeros);
        Put("orderings", c.LuOrderings);
        Put("heap_bytes", heap1 - heap0);
        Put("alloc_parse_bytes", allocParse);
        Put("alloc_build_bytes", allocBuild);
        Put("alloc_op_first_bytes", allocOpFirst);
        Put("alloc_op_bytes", allocOp);
        Put("probe", probeValue.ToString("R", Ci));
        Put("design_iterations", (c.NewtonIterations - iterationsBefore) / repeats);
        Put("load_pass_ms", loadMs.ToString("R", Ci));
        Put("ordering_ms", orderMs.ToString("R", Ci));
        Put("refactor_ms", refactorMs.ToString("R", Ci));
        Put("repeats", repeats);
        Console.Write(o.ToString());
        GC.KeepAlive(c);
        return 0;
    }

    private static int Repeats(int size) => Math.Clamp(20000 / size, 1, 20);

    private static Row Measure(string ngspice, string dir, ScaleTopology topology, ScaleModel model, int size)
    {
        string deck = ScaleDecks.Deck(topology, model, size);
        string path = Path.Combine(dir, $"{topology}-{model}-{size}.cir".ToLowerInvariant());
        File.WriteAllText(path, deck + ".end\n");
        string probe = ScaleDecks.ProbeNode(topology, size);
        var row = new Row
        {
            Topology = topology,
            Model = model,
            Requested = size,
            Mosfets = ScaleDecks.MosfetCount(topology, size),
        };

        // Managed engine in a child process (peak RSS per case).
        string self = typeof(ScaleStudy).Assembly.Location;
        string host = Environment.ProcessPath ?? "dotnet";
        string childArgs = $"--scale-case {topology} {model} {size} {path}";
        string command = host.EndsWith("dotnet", StringComparison.Ordinal) ? $"{host} {self} {childArgs}" : $"{host} {childArgs}";
        string ours = Run("/usr/bin/time", $"-f \"@@maxrss %M\" {command}");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in ours.Split('\n'))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && !line.Contains(' ', StringComparison.Ordinal))
            {
                values[line[..eq]] = line[(eq + 1)..];
            }
        }

        if (!values.ContainsKey("op_ms"))
        {
            throw new InvalidOperationException($"managed case failed:\n{ours}");
        }

        row.Ours = values;
        row.OursMaxRssKb = long.Parse(MaxRss().Match(ours).Groups[1].Value, Ci);

        // ngspice on the same text: phases separated by rusage (elapsed time since last call).
        int repeats = Repeats(size);
        var control = new StringBuilder();
        control.Append(".control\nset num_threads=1\necho @@phase load\nrusage all\nop\necho @@phase op\n");
        control.Append(Ci, $"print v({probe})\nrusage all\n");
        control.Append(Ci, $"repeat {repeats}\nop\nend\necho @@phase reop\nrusage all\n");
        for (int i = 0; i < repeats; i++)
        {
            double w = ScaleDecks.NominalWidth * (1.05 + (0.05 * (i % 2)));
            control.Append(Ci, $"alterparam {ScaleDecks.DesignParameter}={w:R}\nreset\nop\n");
        }

        control.Append("echo @@phase design\nrusage all\nquit 0\n.endc\n.end\n");
        string ngPath = Path.Combine(dir, "ng-" + Path.GetFileName(path));
        File.WriteAllText(ngPath, deck + control);
        string ng = Run("/usr/bin/time", $"-f \"@@maxrss %M\" {ngspice} -b {ngPath}");
        row.NgMaxRssKb = long.Parse(MaxRss().Match(ng).Groups[1].Value, Ci);
        string[] phases = ng.Split("@@phase ");
        string Phase(string name) => phases.FirstOrDefault(p => p.StartsWith(name, StringComparison.Ordinal)) ?? string.Empty;
        double Seconds(Regex r, string text) => r.Match(text) is { Success: true } m ? double.Parse(m.Groups[1].Value, Ci) : double.NaN;
        row.NgLoadMs = 1000 * Seconds(TotalElapsed(), Phase("load"));
        row.NgOpFirstMs = 1000 * Seconds(SinceLastCall(), Phase("op"));
        row.NgOpFirstAnalysisMs = 1000 * Seconds(AnalysisTime(), Phase("op"));
        row.NgReorderMs = 1000 * Seconds(ReorderTime(), Phase("op"));
        row.NgOpMs = 1000 * Seconds(SinceLastCall(), Phase("reop")) / repeats;
        row.NgDesignMs = 1000 * Seconds(SinceLastCall(), Phase("design")) / repeats;
        row.NgIterations = (long)Seconds(TotalIterations(), Phase("op"));
        row.NgNonzeros = (long)Seconds(TotalNonzeros(), Phase("op"));
        row.NgEquations = (long)Seconds(Equations(), Phase("op"));
        Match probeMatch = Regex.Match(Phase("op"), $@"v\({Regex.Escape(probe)}\) = ([0-9.eE+-]+)");
        row.NgProbe = probeMatch.Success ? double.Parse(probeMatch.Groups[1].Value, Ci) : double.NaN;
        return row;
    }

    private static string Run(string exe, string arguments)
    {
        var psi = new ProcessStartInfo("/bin/sh", ["-c", $"{exe} {arguments}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        Task<string> error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd() + "\n" + error.GetAwaiter().GetResult();
        p.WaitForExit();
        return output;
    }

    private static void WriteCsv(string path, List<Row> rows, string[] args)
    {
        var sb = new StringBuilder();
        sb.Append(Ci, $"# scale study: dotnet perf/DnnOpt.Spice.Benchmarks/bin/Release/net10.0/DnnOpt.Spice.Benchmarks.dll --scale {string.Join(' ', args)}\n");
        sb.Append(Ci, $"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}; ngspice 39 (num_threads=1); times in ms, memory in KB or bytes\n");
        sb.Append("case,mosfets,unknowns,ours_parse_ms,ours_build_ms,ours_op_first_ms,ours_op_ms,ours_setparam_ms,ours_design_ms,ours_iterations,ours_lu_nonzeros,ours_orderings,ours_heap_bytes_per_mosfet,ours_alloc_build_bytes_per_mosfet,ours_alloc_op_bytes,ours_maxrss_kb,");
        sb.Append("ng_load_ms,ng_op_first_ms,ng_op_first_analysis_ms,ng_reorder_ms,ng_op_ms,ng_design_ms,ng_iterations,ng_equations,ng_nonzeros,ng_maxrss_kb,ours_probe_v,ng_probe_v,converged,ours_design_iterations,ours_load_pass_ms,ours_ordering_ms,ours_refactor_ms\n");
        foreach (Row r in rows)
        {
            sb.Append(Ci, $"{r.Name},{r.Mosfets},{r.Ours["unknowns"]},{r.Ours["parse_ms"]},{r.Ours["build_ms"]},{r.Ours["op_first_ms"]},{r.Ours["op_ms"]},{r.Ours["setparam_ms"]},{r.Ours["design_ms"]},{r.Ours["iterations"]},{r.Ours["lu_nonzeros"]},{r.Ours["orderings"]},");
            sb.Append(Ci, $"{r.HeapPerMosfet:F0},{r.AllocBuildPerMosfet:F0},{r.Ours["alloc_op_bytes"]},{r.OursMaxRssKb},");
            sb.Append(Ci, $"{r.NgLoadMs:R},{r.NgOpFirstMs:R},{r.NgOpFirstAnalysisMs:R},{r.NgReorderMs:R},{r.NgOpMs:R},{r.NgDesignMs:R},{r.NgIterations},{r.NgEquations},{r.NgNonzeros},{r.NgMaxRssKb},{r.Ours["probe"]},{r.NgProbe:R},{r.Ours["converged"]},{r.Ours["design_iterations"]},{r.Ours["load_pass_ms"]},{r.Ours["ordering_ms"]},{r.Ours["refactor_ms"]}\n");
        }

        File.WriteAllText(path, sb.ToString());
        Console.WriteLine($"wrote {path}");
    }

    private static void PrintTable(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("| case | MOSFETs | load ours / ngspice (ms) | first op ours / ngspice (ms) | op ours / ngspice (ms) | ratio op | design ours / ngspice (ms) | ratio design | Newton it. ours / ng | LU nnz ours / ng | heap B/MOSFET | max RSS ours / ng (MB) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (Row r in rows)
        {
            double load = r.D("parse_ms") + r.D("build_ms");
            Console.WriteLine(string.Create(Ci, $"| {r.Name} | {r.Mosfets} | {load:G4} / {r.NgLoadMs:G4} | {r.D("op_first_ms"):G4} / {r.NgOpFirstMs:G4} | {r.D("op_ms"):G4} / {r.NgOpMs:G4} | {r.NgOpMs / r.D("op_ms"):F2}x | {r.D("design_ms"):G4} / {r.NgDesignMs:G4} | {r.NgDesignMs / r.D("design_ms"):F2}x | {r.Ours["iterations"]} / {r.NgIterations} | {r.Ours["lu_nonzeros"]} / {r.NgNonzeros} | {r.HeapPerMosfet:F0} | {r.OursMaxRssKb / 1024.0:F0} / {r.NgMaxRssKb / 1024.0:F0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| case | exponent load ours / ng | exponent op ours / ng | exponent design ours / ng | marginal RSS per MOSFET ours / ng (B) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (IGrouping<string, Row> g in rows.GroupBy(r => r.Name))
        {
            Row[] rs = [.. g.OrderBy(r => r.Mosfets)];
            if (rs.Length < 2)
            {
                continue;
            }

            double Fit(Func<Row, double> y) => Exponent([.. rs.Select(r => (double)r.Mosfets)], [.. rs.Select(y)]);
            double marginalOurs = 1024.0 * (rs[^1].OursMaxRssKb - rs[0].OursMaxRssKb) / (rs[^1].Mosfets - rs[0].Mosfets);
            double marginalNg = 1024.0 * (rs[^1].NgMaxRssKb - rs[0].NgMaxRssKb) / (rs[^1].Mosfets - rs[0].Mosfets);
            Console.WriteLine(string.Create(Ci, $"| {g.Key} | {Fit(r => r.D("parse_ms") + r.D("build_ms")):F2} / {Fit(r => r.NgLoadMs):F2} | {Fit(r => r.D("op_ms")):F2} / {Fit(r => r.NgOpMs):F2} | {Fit(r => r.D("design_ms")):F2} / {Fit(r => r.NgDesignMs):F2} | {marginalOurs:F0} / {marginalNg:F0} |"));
        }
    }

    /// <summary>Least-squares slope of log y against log x: the growth exponent (1 = linear).</summary>
    private static double Exponent(double[] x, double[] y)
    {
        double mx = x.Average(Math.Log);
        double my = y.Average(Math.Log);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = Math.Log(x[i]) - mx;
            sxy += dx * (Math.Log(y[i]) - my);
            sxx += dx * dx;
        }

        return sxy / sxx;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string? FindNgspice() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "ngspice")).FirstOrDefault(File.Exists);

    private sealed class Row
    {
        public ScaleTopology Topology { get; init; }

        public ScaleModel Model { get; init; }

        public int Requested { get; init; }

        public int Mosfets { get; init; }

        public string Name => $"{Topology}-{Model}".ToLowerInvariant();

        public Dictionary<string, string> Ours { get; set; } = [];

        public long OursMaxRssKb { get; set; }

        public double NgLoadMs { get; set; }

        public double NgOpFirstMs { get; set; }

        public double NgOpFirstAnalysisMs { get; set; }

        public double NgReorderMs { get; set; }

        public double NgOpMs { get; set; }

        public double NgDesignMs { get; set; }

        public long NgIterations { get; set; }

        public long NgNonzeros { get; set; }

        public long NgEquations { get; set; }

        public long NgMaxRssKb { get; set; }

        public double NgProbe { get; set; }

        public double HeapPerMosfet => D("heap_bytes") / Mosfets;

        public double AllocBuildPerMosfet => D("alloc_build_bytes") / Mosfets;

        public double D(string key) => double.Parse(Ours[key], CultureInfo.InvariantCulture);

        public string Summary() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Mosfets}: ours load {D("parse_ms") + D("build_ms"):G4} ms, op first {D("op_first_ms"):G4} ms, op {D("op_ms"):G4} ms, design {D("design_ms"):G4} ms, it {Ours["iterations"]}, nnz {Ours["lu_nonzeros"]}, ord {Ours["orderings"]}, conv {Ours["converged"]}, v={Ours["probe"]}, load pass {D("load_pass_ms"):G4} ms, ordering {D("ordering_ms"):G4} ms, refactor {D("refactor_ms"):G4} ms, set {D("setparam_ms"):G4} ms, design it {Ours["design_iterations"]}; ngspice load {NgLoadMs:G4} ms, op first {NgOpFirstMs:G4} ms, op {NgOpMs:G4} ms, design {NgDesignMs:G4} ms, it {NgIterations}, nnz {NgNonzeros}, v={NgProbe:R}; RSS {OursMaxRssKb / 1024} / {NgMaxRssKb / 1024} MB");
    }
}
