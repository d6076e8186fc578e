using System.Text;
using System.Text.RegularExpressions;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>
/// <c>--deck-design DECK [NAMES] [DESIGNS] [SIDES] [ROUNDS] [MODE] [own]</c>: the per-design cost of a sizing deck (a new design = every
/// named top-level parameter changed, then an operating point), ours in place (<see cref="Circuit.SetParameters"/>),
/// ours with every device rebuilt (<c>Circuit.AlwaysRebuild</c>, the path before in-place updates, which now also
/// builds the dependency plan), and ngspice 39 (<c>alterparam</c> per parameter, <c>reset</c>, <c>op</c>), all on the
/// deck's text with its analysis and output lines removed, in one run. NAMES: comma-separated parameters (default:
/// every top-level one); designs alternate the nominal values times 1.05 and 1.10. Process CPU milliseconds. Run from
/// the repository root so the shipped technology library is found.
/// </summary>
internal static partial class ScaleStudy
{
    [GeneratedRegex(@"^\s*\.(op|dc|ac|tran|noise|meas|measure|print|plot|save|probe|four)\b.*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex AnalysisLine();

    public static int DeckDesign(string[] args)
    {
        string deckPath = Path.GetFullPath(args[0]);
        int designs = args.Length > 2 ? int.Parse(args[2], Ci) : 10;
        string sides = args.Length > 3 ? args[3] : "both";
        // MODE "op" (default): the deck's analyses and measures are removed and a design ends with an operating
        // point; "all" (ours only): the deck's own analyses and measures run per design, as a sizing evaluation does.
        bool all = args.Length > 5 && args[5] == "all";

        // A seventh argument "own" makes every BSIM3 instance evaluate its own channel (no sharing between identical
        // instances at identical voltages), for an A/B of that in one build.
        Devices.Mosfets.Bsim3.Bsim3.DoNotShareEvaluations = args.Length > 6 && args[6] == "own";
        string text = all ? File.ReadAllText(deckPath) : AnalysisLine().Replace(File.ReadAllText(deckPath), "*");
        text = Regex.Replace(text, @"^\s*\.end\s*$", string.Empty, RegexOptions.Multiline | RegexOptions.IgnoreCase);
        string dir = Path.Combine(Path.GetTempPath(), $"deck-design-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        // Libraries beside the deck, and the shipped technology (the sizing decks read ".lib 'generic180.lib' tt").
        string technology = Path.Combine("src", "DnnOpt.Spice", "Technology");
        string[] libraries = [.. Directory.GetFiles(Path.GetDirectoryName(deckPath) ?? ".", "*.lib"), .. Directory.Exists(technology) ? Directory.GetFiles(technology, "*.lib") : []];
        foreach (string f in libraries)
        {
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)), overwrite: true);
        }

        string ours = Path.Combine(dir, "ours.cir");
        File.WriteAllText(ours, text + ".end\n");
        Netlist netlist = NetlistParser.ParseFile(ours);
        string[] names = args.Length > 1 && args[1] != "all"
            ? [.. args[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim().ToLowerInvariant())]
            : [.. netlist.Top.Parameters.Select(p => p.Name)];
        Circuit probe = Circuit.Create(netlist);
        var nominal = names.ToDictionary(n => n, probe.GetParameter, StringComparer.Ordinal);
        Dictionary<string, double> Design(int i) => nominal.ToDictionary(kv => kv.Key, kv => kv.Value * (1.05 + (0.05 * (i % 2))), StringComparer.Ordinal);
        Console.WriteLine(string.Create(Ci, $"{Path.GetFileName(deckPath)}: {probe.DeviceNames.Count()} devices, {probe.UnknownNames.Count} unknowns, {names.Length} parameters per design, {designs} designs"));
        probe = null!;

        if (sides is "both" or "ours")
        {
            // Warm-up (JIT, tiering) on the same deck in both paths, then ROUNDS alternating rounds of each path, each in
            // a fresh circuit; medians are reported (single CPU-time samples on a shared machine vary by tens of %).
            int rounds = args.Length > 4 ? int.Parse(args[4], Ci) : 3;
            foreach (bool rebuild in new[] { false, true })
            {
                Circuit warm = Circuit.Create(netlist);
                warm.AlwaysRebuild = rebuild;
                for (int i = 0; i < Math.Max(3, designs); i++)
                {
                    warm.SetParameters(Design(i));
                    _ = Evaluate(warm);
                }
            }

            GC.Collect();
            var samples = new Dictionary<(bool Rebuild, string What), List<double>>();
            void Add(bool rebuild, string what, double v)
            {
                if (!samples.TryGetValue((rebuild, what), out List<double>? l))
                {
                    samples[(rebuild, what)] = l = [];
                }

                l.Add(v);
            }

            bool converged = true;
            for (int round = 0; round < rounds; round++)
            {
                foreach (bool rebuild in round % 2 == 0 ? new[] { false, true } : new[] { true, false })
                {
                    Clock t = Clock.Start();
                    Circuit c = Circuit.Create(netlist);
                    Add(rebuild, "build", t.Elapsed().Cpu);
                    c.AlwaysRebuild = rebuild;
                    _ = Evaluate(c);
                    t = Clock.Start();
                    converged &= Evaluate(c);
                    Add(rebuild, "op", t.Elapsed().Cpu);
                    double set = 0;
                    // Counters of the circuit's engine: meaningful on the in-place path only (a rebuild makes a new engine).
                    long iterations0 = c.NewtonIterations;
                    int orderings0 = c.LuOrderings;
                    long shared0 = Devices.Mosfets.Bsim3.Bsim3.SharedEvaluations;
                    t = Clock.Start();
                    for (int i = 0; i < designs; i++)
                    {
                        Clock s = Clock.Start();
                        c.SetParameters(Design(i));
                        set += s.Elapsed().Cpu;
                        converged &= Evaluate(c);
                    }

                    Add(rebuild, "design", t.Elapsed().Cpu / designs);
                    Add(rebuild, "setparam", set / designs);
                    Add(rebuild, "newton", (c.NewtonIterations - iterations0) / (double)designs);
                    Add(rebuild, "orderings", (c.LuOrderings - orderings0) / (double)designs);
                    Add(rebuild, "shared", (Devices.Mosfets.Bsim3.Bsim3.SharedEvaluations - shared0) / (double)designs);
                    if (c.InPlaceUpdates != (rebuild ? 0 : designs))
                    {
                        throw new InvalidOperationException("unexpected update path");
                    }

                    GC.Collect();
                }
            }

            double Median(bool rebuild, string what)
            {
                List<double> l = [.. samples[(rebuild, what)].Order()];
                return l.Count % 2 == 1 ? l[l.Count / 2] : 0.5 * (l[(l.Count / 2) - 1] + l[l.Count / 2]);
            }

            foreach (bool rebuild in new[] { false, true })
            {
                Console.WriteLine(string.Create(Ci, $"ours {(rebuild ? "rebuild " : "in-place")} (median of {rounds}): build {Median(rebuild, "build"):F1} ms, op {Median(rebuild, "op"):F1} ms, setparam {Median(rebuild, "setparam"):F2} ms, design {Median(rebuild, "design"):F1} ms (CPU){(rebuild ? string.Empty : string.Create(Ci, $"; per design {Median(rebuild, "newton"):F0} Newton iterations, {Median(rebuild, "orderings"):F1} real LU orderings, {Median(rebuild, "shared"):F0} shared BSIM3 evaluations"))}; converged {converged}"));
            }
        }

        bool Evaluate(Circuit c)
        {
            if (!all)
            {
                return c.OperatingPoint().Converged;
            }

            IReadOnlyList<AnalysisResult> results = c.RunAnalyses(c.Measures.DeviceQuantities);
            return results.All(r => r.Converged) && c.Measure(results).FailedCount == 0;
        }

        if (!all && sides is "both" or "ngspice")
        {
            string? ngspice = FindNgspice();
            if (ngspice is null)
            {
                Console.Error.WriteLine("ngspice is not on PATH");
                return 1;
            }

            string Control(string body) => text + ".control\nset num_threads=1\n" + body + "quit 0\n.endc\n.end\n";
            var designBody = new StringBuilder("op\n");
            for (int i = 0; i < designs; i++)
            {
                foreach ((string n, double v) in Design(i))
                {
                    designBody.Append(Ci, $"alterparam {n}={v:R}\n");
                }

                designBody.Append("reset\nop\n");
            }

            (double loadCpu, _, _, _) = Ngspice(ngspice, dir, "load", Control(string.Empty), 0);
            (double opCpu, _, _, _) = Ngspice(ngspice, dir, "op", Control("op\n"), 0);
            (double designCpu, _, string log, _) = Ngspice(ngspice, dir, "design", Control(designBody.ToString()), 0);
            double ngOp = opCpu - loadCpu;
            double ngDesign = (designCpu - opCpu) / designs;
            Console.WriteLine(string.Create(Ci, $"ngspice: load {loadCpu:F0} ms, op {ngOp:F0} ms, design (alterparam x{names.Length}, reset, op) {ngDesign:F1} ms (CPU){(log.Contains("rror", StringComparison.Ordinal) ? " [log mentions an error]" : string.Empty)}"));
        }

        Directory.Delete(dir, recursive: true);
        return 0;
    }

    /// <summary>
    /// <c>--scale-memory TOPOLOGY MODEL SIZE</c>: managed heap retained per MOSFET by the parsed netlist, then by the
    /// built circuit, then after one operating point (forced full collections between).
    /// </summary>
    public static int Memory(string[] args)
    {
        ScaleTopology topology = Enum.Parse<ScaleTopology>(args[0], ignoreCase: true);
        ScaleModel model = Enum.Parse<ScaleModel>(args[1], ignoreCase: true);
        int size = int.Parse(args[2], Ci);
        string text = ScaleDecks.Deck(topology, model, size) + ".end\n";
        int mosfets = ScaleDecks.MosfetCount(topology, size);
        long heap0 = GC.GetTotalMemory(forceFullCollection: true);
        Netlist netlist = NetlistParser.Parse(text);
        text = null!;
        long heap1 = GC.GetTotalMemory(forceFullCollection: true);
        Circuit c = Circuit.Create(netlist);
        long heap2 = GC.GetTotalMemory(forceFullCollection: true);
        _ = c.OperatingPoint();
        long heap3 = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(Ci, $"{topology}-{model} {mosfets} MOSFETs, bytes per MOSFET: netlist {(heap1 - heap0) / (double)mosfets:F0}, circuit {(heap2 - heap1) / (double)mosfets:F0}, after op {(heap3 - heap2) / (double)mosfets:F0}"));
        GC.KeepAlive(c);
        GC.KeepAlive(netlist);
        return 0;
    }
}
