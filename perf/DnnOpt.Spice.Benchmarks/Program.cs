using BenchmarkDotNet.Running;
using DnnOpt.Spice.Benchmarks;

// `--ngspice`: the peer table (ngspice and the managed engine on the same decks, ratios); `--design-cost [N]`: the
// full per-design cost of the miller-ota problem against an ngspice process per testbench; `--scale [SIZES] [FILTER] [CSV] [SIDES] [NG_CPU_LIMIT]`:
// the scale study (1k/10k/100k MOSFETs against ngspice, ScaleStudy); `--deck-design DECK [NAMES] [DESIGNS] [SIDES]`: the
// per-design cost of a sizing deck, in place / rebuilt / ngspice (DeckDesignStudy); `--scale-memory TOPOLOGY MODEL SIZE`:
// heap retained per MOSFET by netlist, circuit and first op; `--lu-kernel DECK [ROUNDS]`: refactorisation and solve
// times on the deck's op matrix (ScaleStudy.LuKernel); `--scale-load [SIZES] [FILTER] [ROUNDS] [CSV]`: deck loading
// (parse + build) against ngspice's, medians of alternating fresh processes (ScaleLoadStudy); otherwise BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--ngspice")
{
    return NgspicePeer.Run(args.Length > 1 ? args[1] : null);
}

if (args.Length > 0 && args[0] == "--scale")
{
    return ScaleStudy.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "--scale-profile")
{
    return ScaleStudy.Profile(args[1..]);
}

if (args.Length > 0 && args[0] == "--scale-load")
{
    return ScaleStudy.Load(args[1..]);
}

if (args.Length > 0 && args[0] == "--scale-deck")
{
    // Writes a scale deck (TOPOLOGY MODEL SIZE PATH) for --scale-case or a profiler.
    File.WriteAllText(args[4], ScaleDecks.Deck(Enum.Parse<ScaleTopology>(args[1], ignoreCase: true), Enum.Parse<ScaleModel>(args[2], ignoreCase: true), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)) + ".end\n");
    return 0;
}

if (args.Length > 0 && args[0] == "--scale-memory")
{
    return ScaleStudy.Memory(args[1..]);
}

if (args.Length > 0 && args[0] == "--deck-design")
{
    return ScaleStudy.DeckDesign(args[1..]);
}

if (args.Length > 0 && args[0] == "--op-stats")
{
    // One operating point of a deck from its nominal: Newton iterations and LU orderings (ngspice: .options acct).
    DnnOpt.Spice.Circuits.Circuit c = DnnOpt.Spice.Circuits.Circuit.Create(DnnOpt.Spice.Parsing.NetlistParser.ParseFile(args[1]));
    foreach (string a in args[2..])
    {
        // name=value: a top-level parameter changed in place before the operating point.
        c.SetParameter(a[..a.IndexOf('=')], double.Parse(a[(a.IndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    long before = c.NewtonIterations;
    var r = c.OperatingPoint();
    Console.WriteLine($"after the parameters: {c.NewtonIterations - before} iterations");
    Console.WriteLine($"converged {r.Converged}, {c.NewtonIterations} Newton iterations, {c.LuOrderings} LU orderings, {c.UnknownNames.Count} unknowns, {c.LuNonzeros} L+U nonzeros");
    return 0;
}

if (args.Length > 0 && args[0] == "--lu-kernel")
{
    return ScaleStudy.LuKernel(args[1..]);
}

if (args.Length > 0 && args[0] == "--scale-case")
{
    return ScaleStudy.RunCase(args[1..]);
}

if (args.Length > 0 && args[0] == "--design-cost")
{
    string? ngspice = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
        .Select(d => Path.Combine(d, "ngspice")).FirstOrDefault(File.Exists);
    if (ngspice is null)
    {
        Console.Error.WriteLine("ngspice is not on PATH (Debian: apt-get install -y ngspice)");
        return 1;
    }

    return DesignCostPeer.Run(ngspice, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
}

BenchmarkSwitcher.FromAssembly(typeof(SimulatorBenchmarks).Assembly).Run(args);
return 0;
