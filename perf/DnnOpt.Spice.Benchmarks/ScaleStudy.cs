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

    /// <summary>
    /// <c>--scale [SIZES] [FILTER] [CSV] [SIDES] [NG_CPU_LIMIT]</c>: SIZES comma-separated requested MOSFET counts
    /// (default 1000,10000,100000); FILTER a substring of the case name (<c>chain-mos1</c>, <c>array-bsim3</c>, ...;
    /// <c>all</c>); CSV the results file (default perf/DnnOpt.Spice.Benchmarks/scale-results.csv under the current
    /// directory); SIDES <c>both</c> (default), <c>ours</c> or <c>ngspice</c> (a long ngspice run can start while the
    /// managed side is still being worked on; the rows are merged by case afterwards); NG_CPU_LIMIT a CPU-time cap in
    /// seconds per ngspice process (<c>ulimit -t</c>; 0 = none): a capped phase is reported as "&gt; limit".
    /// </summary>
    public static int Run(string[] args)
    {
        int[] sizes = args.Length > 0 ? [.. args[0].Split(',').Select(s => int.Parse(s, Ci))] : [1000, 10000, 100000];
        string filter = args.Length > 1 ? args[1] : "all";
        string csv = args.Length > 2 ? args[2] : Path.Combine("perf", "DnnOpt.Spice.Benchmarks", "scale-results.csv");
        string sides = args.Length > 3 ? args[3] : "both";
        int ngCpuLimit = args.Length > 4 ? int.Parse(args[4], Ci) : 0;
        bool runOurs = sides is "both" or "ours";
        bool runNg = sides is "both" or "ngspice";
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
            foreach ((ScaleTopology topology, ScaleModel model, _, int size) in Cases(filter, sizes))
            {
                Row row = Measure(ngspice, dir, topology, model, size, runOurs, runNg, ngCpuLimit);
                rows.Add(row);
                Console.WriteLine(row.Summary());
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

    /// <summary>
    /// <c>--scale-case TOPOLOGY MODEL SIZE DECK [load]</c>: the managed measurement of one deck, as key=value lines; with
    /// <c>load</c> only the parse and the build (<c>--scale-load</c>).
    /// </summary>
    public static int RunCase(string[] args)
    {
        ScaleTopology topology = Enum.Parse<ScaleTopology>(args[0], ignoreCase: true);
        ScaleModel model = Enum.Parse<ScaleModel>(args[1], ignoreCase: true);
        int size = int.Parse(args[2], Ci);
        string deckPath = args[3];

        // JIT warm-up on a small deck of the same family, so the first measured op is not compilation; "coldload" skips
        // it: the load of a process's first deck, JIT included (what a command-line run pays).
        bool cold = args.Length > 4 && args[4] == "coldload";
        if (!cold)
        {
            Circuit warm = Circuit.Parse(ScaleDecks.Deck(topology, model, 40) + ".end\n");
            for (int i = 0; i < 20; i++)
            {
                warm.SetParameter(ScaleDecks.DesignParameter, ScaleDecks.NominalWidth * (1 + (0.01 * (i % 2))));
                _ = warm.OperatingPoint();
            }
        }

        string text = File.ReadAllText(deckPath);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long heap0 = GC.GetTotalMemory(forceFullCollection: true);
        long alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        var o = new StringBuilder();
        void Put(string key, object value) => o.Append(Ci, $"{key}={value}\n");
        void PutTime(string key, Clock start, int count = 1)
        {
            (double wall, double cpu) = start.Elapsed();
            Put(key + "_ms", (wall / count).ToString("R", Ci));
            Put(key + "_cpu_ms", (cpu / count).ToString("R", Ci));
        }

        // Peak resident set after each phase (where the process's maximum RSS comes from).
        void PutPeak(string phase)
        {
            using var self = Process.GetCurrentProcess();
            Put($"peak_rss_{phase}_kb", self.PeakWorkingSet64 / 1024);
        }

        PutPeak("warmup");
        Clock t = Clock.Start();
        Netlist netlist = NetlistParser.Parse(text, deckPath);
        PutTime("parse", t);
        PutPeak("parse");
        long allocParse = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
        t = Clock.Start();
        Circuit c = Circuit.Create(netlist);
        PutTime("build", t);
        PutPeak("build");
        long allocBuild = GC.GetTotalAllocatedBytes(precise: true) - alloc0 - allocParse;
        text = null!;
        if (args.Length > 4 && args[4] is "load" or "coldload")
        {
            // Load only (--scale-load): parse and build, no analysis; the process's peak RSS is then the load's.
            Put("alloc_parse_bytes", allocParse);
            Put("alloc_build_bytes", allocBuild);
            Put("unknowns", c.UnknownNames.Count);
            Put("gc_gen0", GC.CollectionCount(0));
            Put("gc_gen1", GC.CollectionCount(1));
            Put("gc_gen2", GC.CollectionCount(2));
            Put("heap_bytes", GC.GetTotalMemory(forceFullCollection: true) - heap0);
            Console.Write(o.ToString());
            GC.KeepAlive(c);
            return 0;
        }

        long heap1 = GC.GetTotalMemory(forceFullCollection: true);

        long alloc1 = GC.GetTotalAllocatedBytes(precise: true);
        t = Clock.Start();
        OperatingPointResult op = c.OperatingPoint();
        PutTime("op_first", t);
        PutPeak("op_first");
        long allocOpFirst = GC.GetTotalAllocatedBytes(precise: true) - alloc1;
        long iterations = c.NewtonIterations;
        int orderingsFirst = c.LuOrderings;
        string probe = ScaleDecks.ProbeNode(topology, size);
        double probeValue = op.Converged ? op.Voltage(probe) : double.NaN;

        // Repeated operating points of the same circuit (LU order kept), at least 300 ms of work or 20 of them.
        long alloc2 = GC.GetTotalAllocatedBytes(precise: true);
        t = Clock.Start();
        int repeats = 0;
        do
        {
            op = c.OperatingPoint();
            repeats++;
        }
        while (repeats < 20 && t.Elapsed().Cpu < 300);

        PutTime("op", t, repeats);
        PutPeak("op");
        long allocOp = (GC.GetTotalAllocatedBytes(precise: true) - alloc2) / repeats;

        // A new design: the width parameter changes (every device's W), then the operating point is solved again.
        long designIterations = 0;
        int designs = 0;
        bool designsConverged = true;
        double setCpu = 0;
        t = Clock.Start();
        do
        {
            double w = ScaleDecks.NominalWidth * (1.05 + (0.05 * (designs % 2)));
            Clock s = Clock.Start();
            c.SetParameter(ScaleDecks.DesignParameter, w);
            setCpu += s.Elapsed().Cpu;
            long before = c.NewtonIterations;
            OperatingPointResult d = c.OperatingPoint();
            designIterations += c.NewtonIterations - before;
            designsConverged &= d.Converged;
            designs++;
        }
        while (designs < 20 && t.Elapsed().Cpu < 300);

        PutTime("design", t, designs);
        PutPeak("design");
        Put("setparam_cpu_ms", (setCpu / designs).ToString("R", Ci));

        // Breakdown at the last design's final Newton matrix: one device-load pass, one pivot ordering (Markowitz, as
        // the first factorisation or a re-ordering pays), one numeric refactorisation with the order kept.
        Engine engine = c.Engine;
        var values = (double[])engine.Context.Matrix.Clone();
        t = Clock.Start();
        Array.Clear(engine.Context.Matrix);
        Array.Clear(engine.Context.Rhs);
        foreach (Devices.IDevice d in engine.Devices)
        {
            d.Load(engine.Context);
        }

        PutTime("load_pass", t);
        engine.Lu.InvalidateOrdering();
        t = Clock.Start();
        _ = engine.Lu.Factor(values);
        PutTime("ordering", t);
        t = Clock.Start();
        _ = engine.Lu.Factor(values);
        PutTime("refactor", t);

        Put("unknowns", c.UnknownNames.Count);
        Put("devices", c.DeviceNames.Count());
        Put("mosfets", c.DeviceNames.Count(n => n[0] == 'm'));
        Put("converged", op.Converged && designsConverged);
        Put("iterations", iterations);
        Put("orderings_first_op", orderingsFirst);
        Put("design_iterations", designIterations / designs);
        Put("lu_nonzeros", c.LuNonzeros);
        Put("heap_bytes", heap1 - heap0);
        Put("alloc_parse_bytes", allocParse);
        Put("alloc_build_bytes", allocBuild);
        Put("alloc_op_first_bytes", allocOpFirst);
        Put("alloc_op_bytes", allocOp);
        Put("probe", probeValue.ToString("R", Ci));
        Put("repeats", repeats);
        Put("designs", designs);
        Console.Write(o.ToString());
        GC.KeepAlive(c);
        return 0;
    }

    /// <summary>
    /// <c>--scale-profile DECK...</c>: CPU time of each build stage (parse, flatten, topology check, whole build); DECK is
    /// a file or a generated scale deck named TOPOLOGY-MODEL-SIZE (<c>chain-bsim3-100000</c>).
    /// </summary>
    public static int Profile(string[] decks)
    {
        foreach (string deckPath in decks)
        {
            for (int round = 0; round < 2; round++)
            {
                // A file, or a generated deck named TOPOLOGY-MODEL-SIZE (chain-mos1-100000).
                string[] spec = deckPath.Split('-');
                string text = File.Exists(deckPath) || spec.Length != 3
                    ? File.ReadAllText(deckPath)
                    : ScaleDecks.Deck(Enum.Parse<ScaleTopology>(spec[0], ignoreCase: true), Enum.Parse<ScaleModel>(spec[1], ignoreCase: true), int.Parse(spec[2], Ci)) + ".end\n";
                long a0 = GC.GetAllocatedBytesForCurrentThread();
                var allocs = new List<string>();
                void Mark(string stage)
                {
                    long a1 = GC.GetAllocatedBytesForCurrentThread();
                    allocs.Add(string.Create(Ci, $"{stage} {(a1 - a0) / 1048576.0:F1}"));
                    a0 = a1;
                }

                Clock t = Clock.Start();
                Netlist netlist = NetlistParser.Parse(text, deckPath);
                double parse = t.Elapsed().Cpu;
                Mark("parse");
                t = Clock.Start();
                List<ResolvedElement> elements = Elaborator.Elaborate(netlist, new Dictionary<string, double>(), new ParameterScope(null));
                double flatten = t.Elapsed().Cpu;
                Mark("flatten");
                t = Clock.Start();
                TopologyCheck.Run(elements);
                double topology = t.Elapsed().Cpu;
                Mark("topology");
                // Circuit.Build's stages, one by one.
                t = Clock.Start();
                var warnings = new List<string>();
                var options = new SimulationOptions();
                var mosfets = new Devices.Mosfets.MosfetFactory(300.15, options, warnings);
                var devices = new List<Devices.IDevice>();
                var byName = new Dictionary<string, Devices.IDevice>(StringComparer.Ordinal);
                foreach (ResolvedElement e in elements)
                {
                    Devices.IDevice d = e.Kind switch
                    {
                        'r' => new Devices.Passive.Resistor(e),
                        'v' => new Devices.Sources.VoltageSource(e),
                        _ => mosfets.Create(e),
                    };
                    byName.Add(d.Name, d);
                    devices.Add(d);
                }

                double create = t.Elapsed().Cpu;
                Mark("devices");
                t = Clock.Start();
                var unknowns = new UnknownTable();
                foreach (ResolvedElement e in elements)
                {
                    foreach (string n in e.Nodes)
                    {
                        unknowns.Node(n);
                    }
                }

                foreach (Devices.IDevice d in devices)
                {
                    d.AllocateUnknowns(unknowns);
                }

                double unknownsMs = t.Elapsed().Cpu;
                Mark("unknowns");
                t = Clock.Start();
                var structure = new Algebra.MatrixStructureBuilder(unknowns.Count);
                foreach (Devices.IDevice d in devices)
                {
                    d.AllocateSlots(structure);
                }

                double slots = t.Elapsed().Cpu;
                Mark("slots");
                t = Clock.Start();
                var lu = new Algebra.SparseLu(unknowns.Count, structure.Rows, structure.Columns);
                var engine = new Engine(unknowns, devices, structure, lu, [], options);
                double engineMs = t.Elapsed().Cpu;
                Mark("engine");
                Console.WriteLine(string.Create(Ci, $"  stages: devices {create:F0} ms, unknowns {unknownsMs:F0} ms, slots {slots:F0} ms, engine {engineMs:F0} ms"));
                GC.KeepAlive(engine);

                t = Clock.Start();
                Circuit c = Circuit.Create(netlist);
                double build = t.Elapsed().Cpu;
                Mark("circuit");
                t = Clock.Start();
                c.SetParameter(ScaleDecks.DesignParameter, 1.1e-6);
                double set = t.Elapsed().Cpu;
                t = Clock.Start();
                c.Engine.SetTemperature(27);
                double temperature = t.Elapsed().Cpu;
                Console.WriteLine(string.Create(Ci, $"{Path.GetFileName(deckPath)} round {round}: elements {elements.Count}, parse {parse:F0} ms, flatten {flatten:F0} ms, topology {topology:F0} ms, Circuit.Create {build:F0} ms, SetParameter {set:F0} ms, SetTemperature {temperature:F0} ms"));
                Console.WriteLine("  allocated MB: " + string.Join(", ", allocs));
            }
        }

        return 0;
    }

    /// <summary>Repeats of the ngspice operating point and design runs (its CPU clock has 10 ms resolution).</summary>
    private static (int Ops, int Designs) NgRepeats(ScaleTopology topology, int size) => topology == ScaleTopology.Chain
        ? (Math.Clamp(20000 / size, 1, 20), Math.Clamp(5000 / size, 1, 5))
        : (Math.Clamp(2000 / size, 1, 3), 1);

    private static Row Measure(string ngspice, string dir, ScaleTopology topology, ScaleModel model, int size, bool runOurs, bool runNg, int ngCpuLimit)
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

        if (runOurs)
        {
            MeasureOurs(row, topology, model, size, path);
        }

        if (runNg)
        {
            MeasureNgspice(row, ngspice, dir, deck, topology, size, probe, ngCpuLimit);
        }

        return row;
    }

    /// <summary>The managed engine in a child process (peak RSS per case).</summary>
    private static void MeasureOurs(Row row, ScaleTopology topology, ScaleModel model, int size, string path)
    {
        string self = typeof(ScaleStudy).Assembly.Location;
        string host = Environment.ProcessPath ?? "dotnet";
        string childArgs = $"--scale-case {topology} {model} {size} {path}";
        string command = host.EndsWith("dotnet", StringComparison.Ordinal) ? $"{host} {self} {childArgs}" : $"{host} {childArgs}";
        string ours = Run($"{Time} {command}");
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
        row.OursMaxRssKb = (long)Usage(ours).MaxRssKb;
    }

    private static void MeasureNgspice(Row row, string ngspice, string dir, string deck, ScaleTopology topology, int size, string probe, int cpuLimit)
    {
        // ngspice on the same text, three processes: load only; load and R operating points; load, one operating
        // point and K new designs (alterparam, reset, op). Differences of process CPU time give each phase.
        (int ops, int designs) = NgRepeats(topology, size);
        string Control(string body) => deck + ".control\nset num_threads=1\n" + body + "quit 0\n.endc\n.end\n";
        var opBody = new StringBuilder("op\n").Append(Ci, $"print v({probe})\nrusage all\n");
        for (int i = 1; i < ops; i++)
        {
            opBody.Append("op\n");
        }

        var designBody = new StringBuilder("op\n");
        for (int i = 0; i < designs; i++)
        {
            double w = ScaleDecks.NominalWidth * (1.05 + (0.05 * (i % 2)));
            designBody.Append(Ci, $"alterparam {ScaleDecks.DesignParameter}={w:R}\nreset\nop\n");
        }

        (double loadCpu, _, string loadLog, _) = Ngspice(ngspice, dir, "load", Control(string.Empty), cpuLimit);
        (double opCpu, double opRss, string opLog, bool opCapped) = Ngspice(ngspice, dir, "op", Control(opBody.ToString()), cpuLimit);
        row.NgMaxRssKb = (long)opRss;
        row.NgLoadMs = loadCpu;
        if (opCapped)
        {
            // Its op did not finish within the cap: report "> cap - load", and no design run (it would only hit the cap again).
            row.NgOpMs = double.NaN;
            row.NgDesignMs = double.NaN;
            row.NgNote = string.Create(Ci, $"op stopped at the {cpuLimit} s CPU cap (op > {(opCpu - loadCpu) / 1000:F0} s CPU); design not run");
            Console.WriteLine(row.NgNote);
            return;
        }

        (double designCpu, _, _, bool designCapped) = Ngspice(ngspice, dir, "design", Control(designBody.ToString()), cpuLimit);
        row.NgOpMs = (opCpu - loadCpu) / ops;
        row.NgDesignMs = designCapped ? double.NaN : (designCpu - loadCpu - row.NgOpMs) / designs;
        if (designCapped)
        {
            row.NgNote = string.Create(Ci, $"design stopped at the {cpuLimit} s CPU cap");
        }

        double Number(Regex r, string text) => r.Match(text) is { Success: true } m ? double.Parse(m.Groups[1].Value, Ci) : double.NaN;
        row.NgOpFirstAnalysisMs = 1000 * Number(AnalysisTime(), opLog);
        row.NgReorderMs = 1000 * Number(ReorderTime(), opLog);
        row.NgIterations = (long)Number(TotalIterations(), opLog);
        row.NgNonzeros = (long)Number(TotalNonzeros(), opLog);
        row.NgEquations = (long)Number(Equations(), opLog);
        Match probeMatch = Regex.Match(opLog, $@"v\({Regex.Escape(probe)}\) = ([0-9.eE+-]+)");
        row.NgProbe = probeMatch.Success ? double.Parse(probeMatch.Groups[1].Value, Ci) : double.NaN;
        _ = loadLog;
    }

    private const string Time = "/usr/bin/time -f \"@@usage %U %S %M\"";

    [GeneratedRegex(@"@@usage ([0-9.]+) ([0-9.]+) ([0-9]+)")]
    private static partial Regex UsageLine();

    /// <summary>CPU milliseconds (user + system) and maximum RSS in KB of a process run under <see cref="Time"/>.</summary>
    private static (double CpuMs, double MaxRssKb) Usage(string log)
    {
        Match m = UsageLine().Match(log);
        if (!m.Success)
        {
            throw new InvalidOperationException($"no /usr/bin/time line in:\n{log}");
        }

        return (1000 * (double.Parse(m.Groups[1].Value, Ci) + double.Parse(m.Groups[2].Value, Ci)), double.Parse(m.Groups[3].Value, Ci));
    }

    /// <summary>One ngspice process under <see cref="Time"/>; Capped when a CPU cap (seconds, 0 = none) stopped it.</summary>
    private static (double CpuMs, double MaxRssKb, string Log, bool Capped) Ngspice(string exe, string dir, string name, string deck, int cpuLimit)
    {
        string path = Path.Combine(dir, $"ng-{name}.cir");
        File.WriteAllText(path, deck);
        string command = cpuLimit > 0 ? $"/bin/sh -c 'ulimit -t {cpuLimit}; exec {exe} -b {path}'" : $"{exe} -b {path}";
        string log = Run($"{Time} {command}");
        (double cpu, double rss) = Usage(log);
        bool capped = log.Contains("Command terminated by signal", StringComparison.Ordinal);
        return (cpu, rss, log, capped);
    }

    /// <summary>
    /// `--lu-kernel DECK [ROUNDS]`: the numeric LU kernels alone, on the deck's converged operating-point matrix with
    /// its order kept: minimum and median wall time of one refactorisation and of one solve over ROUNDS (default 200)
    /// timed calls each (the minimum is the figure least disturbed by other load), of a whole ordering over ROUNDS / 10
    /// (at least 3), and a hash of the solution's bits,
    /// so two builds can be checked to compute the same numbers; and the factors' structure: multiply-adds of one
    /// refactorisation, how many L entries blocks take, the multiply-adds' share by how many rows of a U run (rows sharing
    /// a pattern) lie from each L entry to the row being factorised, and how many trailing rows are at least half dense.
    /// </summary>
    public static int LuKernel(string[] args)
    {
        Circuit c = Circuit.Create(NetlistParser.ParseFile(args[0]));
        int rounds = args.Length > 1 ? int.Parse(args[1], Ci) : 200;
        OperatingPointResult op = c.OperatingPoint();
        Engine engine = c.Engine;
        var values = (double[])engine.Context.Matrix.Clone();
        var rhs = (double[])engine.Context.Rhs.Clone();
        var x = new double[rhs.Length];
        if (engine.Lu.Factor(values).Status != Algebra.LuStatus.Ok)
        {
            Console.Error.WriteLine("the operating point's matrix does not factorise");
            return 1;
        }

        var refactor = new double[rounds];
        var solve = new double[rounds];
        for (int i = -5; i < rounds; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            _ = engine.Lu.Factor(values);
            long t1 = Stopwatch.GetTimestamp();
            rhs.CopyTo(x, 0);
            engine.Lu.Solve(x);
            long t2 = Stopwatch.GetTimestamp();
            if (i >= 0)
            {
                refactor[i] = Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds;
                solve[i] = Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds;
            }
        }

        Array.Sort(refactor);
        Array.Sort(solve);
        ulong hash = 14695981039346656037UL;
        foreach (double v in x)
        {
            hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(v)) * 1099511628211UL;
        }

        Algebra.LuPattern? pat = engine.Lu.Pattern;
        if (pat is not null)
        {
            int n = pat.Diag.Length;
            ReadOnlySpan<int> runLength = engine.Lu.RunLengths;
            double flops = 0;
            var byRun = new double[6];
            for (int k = 0; k < n; k++)
            {
                for (int p = pat.RowPtr[k]; p < pat.Diag[k]; p++)
                {
                    int j = pat.ColIdx[p];
                    double f = pat.RowPtr[j + 1] - pat.Diag[j] - 1;
                    flops += f;
                    // The rows of the run a block would take from here (the run's rows before k).
                    int run = Math.Min(runLength[j], k - j);
                    byRun[run >= 32 ? 5 : run >= 16 ? 4 : run >= 8 ? 3 : run >= 4 ? 2 : run >= 2 ? 1 : 0] += f;
                }
            }

            int dense = 0;
            for (int k = n - 1; k >= 0 && pat.RowPtr[k + 1] - pat.RowPtr[k] >= 0.5 * (n - k); k--)
            {
                dense++;
            }

            Console.WriteLine(string.Create(Ci, $"structure: update multiply-adds {flops:E3}, blocked L entries {engine.Lu.BlockedEntries}; share by min(run length from the L entry, rows left before the row): 1: {byRun[0] / flops:P1}, 2-3: {byRun[1] / flops:P1}, 4-7: {byRun[2] / flops:P1}, 8-15: {byRun[3] / flops:P1}, 16-31: {byRun[4] / flops:P1}, 32+: {byRun[5] / flops:P1}; trailing rows at least half dense: {dense}"));
        }

        // Orderings of the same matrix (the order chosen afresh each time), fewer rounds: each costs a whole ordering.
        int keptNonzeros = c.LuNonzeros;
        var ordering = new double[Math.Max(3, rounds / 10)];
        for (int i = -1; i < ordering.Length; i++)
        {
            engine.Lu.InvalidateOrdering();
            long t0 = Stopwatch.GetTimestamp();
            _ = engine.Lu.Factor(values);
            if (i >= 0)
            {
                ordering[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        }

        Array.Sort(ordering);

        Console.WriteLine(string.Create(Ci, $"{Path.GetFileName(args[0])}: converged {op.Converged}, {c.UnknownNames.Count} unknowns, {keptNonzeros} L+U entries; refactor min {refactor[0]:F1} us, median {refactor[rounds / 2]:F1} us; solve min {solve[0]:F1} us, median {solve[rounds / 2]:F1} us; ordering (with its refactorisation) min {ordering[0]:F1} ms, median {ordering[ordering.Length / 2]:F1} ms; solution hash {hash:x16}"));
        return 0;
    }

    /// <summary>Wall and process CPU time (all threads: JIT, GC) since a start point.</summary>
    private readonly struct Clock
    {
        private readonly long _wall;
        private readonly TimeSpan _cpu;

        private Clock(long wall, TimeSpan cpu)
        {
            _wall = wall;
            _cpu = cpu;
        }

        public static Clock Start() => new(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime);

        public (double Wall, double Cpu) Elapsed() =>
            (Stopwatch.GetElapsedTime(_wall).TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalMilliseconds);
    }

    private static string Run(string command)
    {
        var psi = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {command}");
        Task<string> error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd() + "\n" + error.GetAwaiter().GetResult();
        p.WaitForExit();
        return output;
    }

    private static void WriteCsv(string path, List<Row> rows, string[] args)
    {
        var sb = new StringBuilder();
        sb.Append(Ci, $"# scale study: dotnet perf/DnnOpt.Spice.Benchmarks/bin/Release/net10.0/DnnOpt.Spice.Benchmarks.dll --scale {string.Join(' ', args)}\n");
        sb.Append(Ci, $"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}; ngspice 39 (num_threads=1); *_cpu_ms = process CPU time (user + system) in ms, *_ms = wall; memory in KB or bytes\n");
        string[] ourKeys = ["parse_cpu_ms", "build_cpu_ms", "op_first_cpu_ms", "op_cpu_ms", "setparam_cpu_ms", "design_cpu_ms", "parse_ms", "build_ms", "op_first_ms", "op_ms", "design_ms", "load_pass_cpu_ms", "ordering_cpu_ms", "refactor_cpu_ms", "iterations", "orderings_first_op", "design_iterations", "lu_nonzeros", "heap_bytes", "alloc_build_bytes", "alloc_op_bytes", "converged", "probe"];
        sb.Append("case,mosfets,unknowns,").Append(string.Join(',', ourKeys.Select(k => "ours_" + k)));
        sb.Append(",ours_maxrss_kb,ng_load_cpu_ms,ng_op_cpu_ms,ng_design_cpu_ms,ng_op_analysis_ms,ng_reorder_ms,ng_iterations,ng_equations,ng_nonzeros,ng_maxrss_kb,ng_probe,ng_note\n");
        foreach (Row r in rows)
        {
            sb.Append(Ci, $"{r.Name},{r.Mosfets},{r.O("unknowns")},").Append(string.Join(',', ourKeys.Select(r.O)));
            sb.Append(Ci, $",{r.OursMaxRssKb},{r.NgLoadMs:R},{r.NgOpMs:R},{r.NgDesignMs:R},{r.NgOpFirstAnalysisMs:R},{r.NgReorderMs:R},{r.NgIterations},{r.NgEquations},{r.NgNonzeros},{r.NgMaxRssKb},{r.NgProbe:R},{r.NgNote}\n");
        }

        File.WriteAllText(path, sb.ToString());
        Console.WriteLine($"wrote {path}");
    }

    private static void PrintTable(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("CPU milliseconds (process user + system); ratio = ngspice / ours (above 1: ours is faster).");
        Console.WriteLine();
        Console.WriteLine("| case | MOSFETs | unknowns | load ours / ng | op ours / ng | deck to op, ratio | new design ours / ng | ratio | Newton it. ours / ng | LU nnz ours / ng | heap B/MOSFET | max RSS ours / ng (MB) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (Row r in rows)
        {
            Console.WriteLine(string.Create(Ci, $"| {r.Name} | {r.Mosfets} | {r.O("unknowns")} | {r.OursLoad:G4} / {r.NgLoadMs:G4} | {r.D("op_first_cpu_ms"):G4} / {r.NgOpMs:G4} | {(r.NgLoadMs + r.NgOpMs) / (r.OursLoad + r.D("op_first_cpu_ms")):F2}x | {r.D("design_cpu_ms"):G4} / {r.NgDesignMs:G4} | {r.NgDesignMs / r.D("design_cpu_ms"):F2}x | {r.O("iterations")} / {r.NgIterations} | {r.O("lu_nonzeros")} / {r.NgNonzeros} | {r.HeapPerMosfet:F0} | {r.OursMaxRssKb / 1024.0:F0} / {r.NgMaxRssKb / 1024.0:F0} |"));
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
            Console.WriteLine(string.Create(Ci, $"| {g.Key} | {Fit(r => r.OursLoad):F2} / {Fit(r => r.NgLoadMs):F2} | {Fit(r => r.D("op_first_cpu_ms")):F2} / {Fit(r => r.NgOpMs):F2} | {Fit(r => r.D("design_cpu_ms")):F2} / {Fit(r => r.NgDesignMs):F2} | {marginalOurs:F0} / {marginalNg:F0} |"));
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

    /// <summary>
    /// The cases a study runs: every topology and model whose name contains <paramref name="filter"/> ("all": every
    /// one), at each size.
    /// </summary>
    private static IEnumerable<(ScaleTopology Topology, ScaleModel Model, string Name, int Size)> Cases(string filter, IReadOnlyList<int> sizes)
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
                    yield return (topology, model, name, size);
                }
            }
        }
    }

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

        public double OursLoad => D("parse_cpu_ms") + D("build_cpu_ms");

        public string NgNote { get; set; } = string.Empty;

        public string O(string key) => Ours.GetValueOrDefault(key, string.Empty);

        public double D(string key) => Ours.TryGetValue(key, out string? v) ? double.Parse(v, CultureInfo.InvariantCulture) : double.NaN;

        public string Summary() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Mosfets} (CPU ms): ours load {OursLoad:G4}, op first {D("op_first_cpu_ms"):G4} (orderings {O("orderings_first_op")}), op {D("op_cpu_ms"):G4}, design {D("design_cpu_ms"):G4} (set {D("setparam_cpu_ms"):G4}), it {O("iterations")}/{O("design_iterations")}, nnz {O("lu_nonzeros")}, load pass {D("load_pass_cpu_ms"):G4}, ordering {D("ordering_cpu_ms"):G4}, refactor {D("refactor_cpu_ms"):G4}, conv {O("converged")}, v={O("probe")}; ngspice load {NgLoadMs:G4}, op {NgOpMs:G4} (analysis {NgOpFirstAnalysisMs:G4}, reorder {NgReorderMs:G4}), design {NgDesignMs:G4}, it {NgIterations}, nnz {NgNonzeros}, v={NgProbe:R}; RSS {OursMaxRssKb / 1024} / {NgMaxRssKb / 1024} MB");
    }
}
