using System.Text;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>
/// <c>--scale-load [SIZES] [FILTER] [ROUNDS] [CSV]</c>: loading a deck (parse + build) against ngspice loading it, on the
/// scale decks, ROUNDS alternating rounds (default 5) of a fresh managed process (<c>--scale-case ... load</c>: warm-up
/// on a small deck, then parse and build; process CPU of those two steps, peak RSS of the whole process) and a fresh
/// ngspice process (<c>ngspice -b</c> on the deck with <c>quit</c>: process start and deck loading, as in
/// <c>--scale</c>); medians are reported, because single CPU samples on a shared machine vary by tens of percent.
/// Each round also runs a cold managed process (<c>--scale-case ... coldload</c>: no warm-up, so the parse and build
/// include the JIT compilation of every method they reach, as a command-line run's first deck does), reported as its
/// parse + build CPU and as the whole process's CPU (runtime start included, ngspice's measure).
/// Prints a markdown table and, when CSV is given, writes every sample.
/// </summary>
internal static partial class ScaleStudy
{
    public static int Load(string[] args)
    {
        int[] sizes = args.Length > 0 ? [.. args[0].Split(',').Select(s => int.Parse(s, Ci))] : [1000, 10000, 100000];
        string filter = args.Length > 1 ? args[1] : "chain";
        int rounds = args.Length > 2 ? int.Parse(args[2], Ci) : 5;
        string? csv = args.Length > 3 ? args[3] : null;
        string? ngspice = FindNgspice();
        if (ngspice is null)
        {
            Console.Error.WriteLine("ngspice is not on PATH (Debian: apt-get install -y ngspice)");
            return 1;
        }

        string dir = Path.Combine(Path.GetTempPath(), $"scale-load-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var table = new StringBuilder();
        var samples = new StringBuilder("case,mosfets,round,ours_parse_cpu_ms,ours_build_cpu_ms,ours_load_cpu_ms,ours_maxrss_kb,ours_heap_bytes,ours_alloc_bytes,ng_load_cpu_ms,ng_maxrss_kb,cold_load_cpu_ms,cold_process_cpu_ms\n");
        table.Append("| deck | MOSFETs | load ours / ng (CPU ms, medians) | ratio ng / ours | parse + build ours | cold: load / whole process (ratio ng / process) | max RSS ours / ng (MB) | heap after build B per MOSFET | allocated B per MOSFET |\n");
        table.Append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        try
        {
            foreach ((ScaleTopology topology, ScaleModel model, string name, int size) in Cases(filter, sizes))
            {
                string deck = ScaleDecks.Deck(topology, model, size);
                string path = Path.Combine(dir, $"{name}-{size}.cir");
                File.WriteAllText(path, deck + ".end\n");
                string ngPath = Path.Combine(dir, $"ng-{name}-{size}.cir");
                File.WriteAllText(ngPath, deck + ".control\nset num_threads=1\nquit 0\n.endc\n.end\n");
                int mosfets = ScaleDecks.MosfetCount(topology, size);
                var ours = new List<(double Parse, double Build, double Rss, double Heap, double Alloc)>();
                var ng = new List<(double Cpu, double Rss)>();
                var cold = new List<(double Load, double Process)>();
                for (int r = 0; r < rounds; r++)
                {
                    string self = typeof(ScaleStudy).Assembly.Location;
                    string host = Environment.ProcessPath ?? "dotnet";
                    string Command(string mode)
                    {
                        string childArgs = $"--scale-case {topology} {model} {size} {path} {mode}";
                        return host.EndsWith("dotnet", StringComparison.Ordinal) ? $"{host} {self} {childArgs}" : $"{host} {childArgs}";
                    }

                    string coldLog = Run($"{Time} {Command("coldload")}");
                    Dictionary<string, string> c = KeyValues(coldLog);
                    if (!c.TryGetValue("build_cpu_ms", out string? coldBuild))
                    {
                        throw new InvalidOperationException($"managed cold case failed:\n{coldLog}");
                    }

                    cold.Add((double.Parse(c["parse_cpu_ms"], Ci) + double.Parse(coldBuild, Ci), Usage(coldLog).CpuMs));
                    string log = Run($"{Time} {Command("load")}");
                    Dictionary<string, string> v = KeyValues(log);
                    if (!v.ContainsKey("build_cpu_ms"))
                    {
                        throw new InvalidOperationException($"managed case failed:\n{log}");
                    }

                    double D(string k) => double.Parse(v[k], Ci);
                    ours.Add((D("parse_cpu_ms"), D("build_cpu_ms"), Usage(log).MaxRssKb, D("heap_bytes"), D("alloc_parse_bytes") + D("alloc_build_bytes")));
                    string ngLog = Run($"{Time} {ngspice} -b {ngPath}");
                    (double ngCpu, double ngRss) = Usage(ngLog);
                    ng.Add((ngCpu, ngRss));
                    (double p, double b, double rss, double heap, double alloc) = ours[^1];
                    samples.Append(Ci, $"{name},{mosfets},{r},{p:R},{b:R},{p + b:R},{rss:R},{heap:R},{alloc:R},{ngCpu:R},{ngRss:R},{cold[^1].Load:R},{cold[^1].Process:R}\n");
                    Console.WriteLine(string.Create(Ci, $"{name} {mosfets} round {r}: ours parse {p:F1} build {b:F1} load {p + b:F1} ms, RSS {rss / 1024:F0} MB, cold load {cold[^1].Load:F1} ms (process {cold[^1].Process:F0} ms); ngspice {ngCpu:F0} ms, RSS {ngRss / 1024:F0} MB"));
                }

                double oursLoad = Median(ours.Select(o => o.Parse + o.Build));
                double ngLoad = Median(ng.Select(o => o.Cpu));
                table.Append(Ci, $"| {name} | {mosfets} | {oursLoad:F1} / {ngLoad:F0} | {ngLoad / oursLoad:F2}x | {Median(ours.Select(o => o.Parse)):F1} + {Median(ours.Select(o => o.Build)):F1} | {Median(cold.Select(o => o.Load)):F1} / {Median(cold.Select(o => o.Process)):F0} ({ngLoad / Median(cold.Select(o => o.Process)):F2}x) | {Median(ours.Select(o => o.Rss)) / 1024:F0} / {Median(ng.Select(o => o.Rss)) / 1024:F0} | {Median(ours.Select(o => o.Heap)) / mosfets:F0} | {Median(ours.Select(o => o.Alloc)) / mosfets:F0} |\n");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(Ci, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}, {rounds} rounds; ratio = ngspice / ours (above 1: ours faster)"));
        Console.Write(table.ToString());
        if (csv is not null)
        {
            File.WriteAllText(csv, samples.ToString());
            Console.WriteLine($"wrote {csv}");
        }

        return 0;
    }

    private static Dictionary<string, string> KeyValues(string log)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in log.Split('\n'))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && !line.Contains(' ', StringComparison.Ordinal))
            {
                values[line[..eq]] = line[(eq + 1)..];
            }
        }

        return values;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] v = [.. values.Order()];
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[(v.Length / 2) - 1] + v[v.Length / 2]);
    }
}
