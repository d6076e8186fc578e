using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Measurements;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>
/// <see cref="Circuit.SetParameters"/> re-evaluates only what the changed parameters reach and updates those devices
/// in place (engine, matrix pattern and LU order kept). Its results must be those of a full rebuild, bit for bit:
/// (1) a circuit that takes a sequence of random designs in place against one that rebuilds every device for each
/// (<see cref="Circuit.AlwaysRebuild"/>; both keep the LU order of their first analysis), and (2) a circuit given a
/// design in place before its first analysis against a fresh circuit parsed from the deck text with those values
/// written into the <c>.param</c> lines (both order the LU on that design's first matrix). Every analysis of the deck
/// (op, dc, ac, noise, tran), every vector, every captured device quantity, the Newton iteration counts and the
/// measures are compared with exact equality: the arithmetic is the same, so any difference is a defect.
/// Decks: every built-in sizing problem's decks (DnnOpt.Sizing/Benchmarks, with random designs inside the problem
/// file's variable ranges), small scale decks (MOS1 and BSIM3 chains, a NAND array of subcircuits), and a deck that
/// reaches devices through subcircuit parameters, body parameters, model cards, sources, controlled sources,
/// <c>.ic</c> and <c>.nodeset</c>.
/// </summary>
public sealed partial class InPlaceUpdateTests
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    internal static string DeckDirectory => Path.Combine(AppContext.BaseDirectory, "SizingDecks");

    [GeneratedRegex(@"^\s*-\s*\{\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*,\s*lower:\s*([^,\s]+)\s*,\s*upper:\s*([^,\s}]+)(.*)\}", RegexOptions.Multiline)]
    private static partial Regex VariableLine();

    [GeneratedRegex(@"^decks:\s*\[([^\]]*)\]", RegexOptions.Multiline)]
    private static partial Regex DecksLine();

    /// <summary>One deck and the design variables that change in it (name, lower, upper, log, integer).</summary>
    public sealed record DeckCase(string File, IReadOnlyList<(string Name, double Lower, double Upper, bool Log, bool Integer)> Variables)
    {
        public override string ToString() => File;
    }

    public static TheoryData<string> SizingDecks()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(DeckDirectory, "*.cir").Select(Path.GetFileName).Order(StringComparer.Ordinal).OfType<string>())
        {
            data.Add(f);
        }

        return data;
    }

    internal static DeckCase Case(string file)
    {
        foreach (string yaml in Directory.GetFiles(DeckDirectory, "*.yaml"))
        {
            string text = File.ReadAllText(yaml);
            Match decks = DecksLine().Match(text);
            if (!decks.Success || !decks.Groups[1].Value.Split(',').Select(d => d.Trim()).Contains(file))
            {
                continue;
            }

            // A problem's variables that this deck defines (a testbench need not use them all).
            var defined = NetlistParser.ParseFile(Path.Combine(DeckDirectory, file)).Top.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            var vars = VariableLine().Matches(text).Where(m => defined.Contains(m.Groups[1].Value.ToLowerInvariant())).Select(m => (
                m.Groups[1].Value.ToLowerInvariant(),
                Number(m.Groups[2].Value),
                Number(m.Groups[3].Value),
                m.Groups[4].Value.Contains("scale: log", StringComparison.Ordinal),
                m.Groups[4].Value.Contains("integer: true", StringComparison.Ordinal))).ToList();
            return new DeckCase(file, vars);
        }

        // A deck without a problem file (ota5-dc is defined in code): every top-level parameter within ±25 %.
        Netlist n = NetlistParser.ParseFile(Path.Combine(DeckDirectory, file));
        Circuit c = Circuit.Create(n);
        return new DeckCase(file, [.. n.Top.Parameters.Select(p => (p.Name, 0.8 * c.GetParameter(p.Name), 1.25 * c.GetParameter(p.Name), false, false))]);
    }

    private static double Number(string text) => SpiceNumber.TryParse(text, out double v) ? v : throw new FormatException(text);

    internal static Dictionary<string, double> RandomDesign(DeckCase deck, Random random)
    {
        var design = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach ((string name, double lower, double upper, bool log, bool integer) in deck.Variables)
        {
            double u = random.NextDouble();
            double v = log && lower > 0 ? lower * Math.Pow(upper / lower, u) : lower + (u * (upper - lower));
            design[name] = integer ? Math.Round(v) : v;
        }

        return design;
    }

    [Theory]
    [MemberData(nameof(SizingDecks))]
    public void Sizing_deck_in_place_equals_full_rebuild(string file)
    {
        DeckCase deck = Case(file);
        Netlist netlist = NetlistParser.ParseFile(Path.Combine(DeckDirectory, file));
        var random = new Random(1234 + file.Length);
        Circuit inPlace = Circuit.Create(netlist);
        Circuit rebuilt = Circuit.Create(netlist);
        rebuilt.AlwaysRebuild = true;
        AssertSameRun(Run(rebuilt), Run(inPlace), file + " nominal");
        for (int d = 0; d < 2; d++)
        {
            Dictionary<string, double> design = RandomDesign(deck, random);
            inPlace.SetParameters(design);
            rebuilt.SetParameters(design);
            AssertSameRun(Run(rebuilt), Run(inPlace), $"{file} design {d}");
        }

        Assert.Equal(1, inPlace.FullBuilds);
        Assert.Equal(2, inPlace.InPlaceUpdates);
        Assert.Equal(3, rebuilt.FullBuilds);
    }

    [Theory]
    [MemberData(nameof(SizingDecks))]
    public void Sizing_deck_in_place_equals_fresh_parse(string file)
    {
        DeckCase deck = Case(file);
        string path = Path.Combine(DeckDirectory, file);
        Dictionary<string, double> design = RandomDesign(deck, new Random(99 + file.Length));
        Circuit inPlace = Circuit.Create(NetlistParser.ParseFile(path));
        inPlace.SetParameters(design);
        Assert.Equal(1, inPlace.InPlaceUpdates);
        Circuit fresh = Circuit.Create(NetlistParser.Parse(WithParameters(File.ReadAllText(path), design), path));
        AssertSameRun(Run(fresh), Run(inPlace), file);
    }

    public static TheoryData<string, int> ScaleDecks() => new()
    {
        { "chain-mos1", 200 },
        { "chain-bsim3", 200 },
        { "array-mos1", 64 },
        { "array-bsim3", 64 },
    };

    [Theory]
    [MemberData(nameof(ScaleDecks))]
    public void Scale_deck_in_place_equals_full_rebuild_and_fresh_parse(string kind, int mosfets)
    {
        // The scale deck with an AC input and a step on it, so op, ac and tran all run.
        string text = ScaleDeck(kind, mosfets).Replace("vin in 0 0\n", "vin in 0 dc 0 ac 1 pulse(0 0.2 0.1n 0.1n 0.1n 1n 4n)\n", StringComparison.Ordinal)
            + ".op\n.ac dec 4 1meg 1g\n.tran 0.1n 1n\n.end\n";
        Netlist netlist = NetlistParser.Parse(text);
        Circuit inPlace = Circuit.Create(netlist);
        Circuit rebuilt = Circuit.Create(netlist);
        rebuilt.AlwaysRebuild = true;
        AssertSameRun(Run(rebuilt), Run(inPlace), kind);
        foreach (double wn in new[] { 1.3e-6, 0.7e-6, 1.1e-6 })
        {
            inPlace.SetParameter("wn", wn);
            rebuilt.SetParameter("wn", wn);
            AssertSameRun(Run(rebuilt), Run(inPlace), $"{kind} wn={wn}");
            Circuit first = Circuit.Create(netlist);
            first.SetParameter("wn", wn);
            Circuit fresh = Circuit.Parse(WithParameters(text, new Dictionary<string, double> { ["wn"] = wn }));
            AssertSameRun(Run(fresh), Run(first), $"{kind} fresh wn={wn}");
        }

        Assert.Equal(3, inPlace.InPlaceUpdates);
        Assert.Equal(1, inPlace.FullBuilds);
    }

    /// <summary>
    /// Parameters reaching devices every way the elaborator has: subcircuit instance values computed from top-level
    /// parameters, subcircuit defaults and body <c>.param</c> lines, a card inside a subcircuit reading its parameter
    /// (one card per instance), subcircuits instantiated inside a subcircuit with values computed from the outer one's
    /// parameters and body <c>.param</c>s (scopes refilled parents first), a top-level card reading a top-level
    /// parameter (shared), derived top-level parameters,
    /// source DC/AC/waveform values, controlled-source gains (E/G/F/H gains as expressions, G/F also through m), a diode, a capacitor and an inductor, <c>.ic</c> and
    /// <c>.nodeset</c>. Each parameter changed alone and all together; op, dc, ac and tran compared.
    /// </summary>
    private const string EveryPathDeck = """
        every path
        .param vdd=3 wn=2u ratio=2 wp={ratio*wn} rl=10k gm1=1m vdelay=0.5n cl=50f vt=0.6 rser=50 rs0=20 nseed=1 egain=2 fgain=2 rt=1k
        vsup vdd 0 {vdd}
        vin in 0 dc {vdd/2} ac {1+0*vdd} pulse(0 {vdd} {vdelay} 0.1n 0.1n 2n 5n)
        x1 in mid vdd inv wn={wn} wp={wp}
        x2 mid out vdd inv wn={2*wn} wp={2*wp} vtl={vt+0.1}
        rl out 0 {rl}
        cl out 0 {cl}
        g1 0 gout mid 0 {gm1} m={ratio/2}
        rg gout 0 1k
        e1 eout 0 out 0 {egain}
        re eout 0 1k
        f1 0 fout vsense {fgain} m={ratio}
        vsense gout gs 0
        rgs gs 0 1
        rf fout 0 2k
        h1 hout 0 vsense 'rt'
        rh hout 0 1k
        d1 vdd dn dmod
        rd dn 0 {rl}
        l1 out lout {1n*ratio}
        rlo lout 0 {rl}
        x3 out bufout vdd buf wb={wn*1.5}
        rb bufout 0 100k
        .model dmod d is=1e-14 rs={rser} cjo=1p
        .model pm pmos level=1 vto=-0.7 kp=40u tox=9n rs={rs0} rd={rs0}
        .subckt inv a y vp wn=1u wp=2u vtl=0.5
        .param lmin={0.5u+0*wn}
        .model nm nmos level=1 vto={vtl} kp=120u tox=9n
        mn y a 0 0 nm w={wn} l={lmin}
        mp y a vp vp pm w={wp} l={lmin}
        .ends
        .subckt buf a y vp wb=1u
        .param wq={wb*ratio}
        xa a m vp inv wn={wb} wp={wq}
        xb m y vp inv wn={2*wb} wp={2*wq} vtl={vt}
        .ends
        .ic v(out)={vdd/3}
        .nodeset v(mid)={vdd/2}
        .op
        .dc vin 0 {vdd} {vdd/10}
        .ac dec 5 1k 1g
        .tran 0.2n 6n
        .end
        """;

    public static TheoryData<string> EveryPathChanges() => new()
    {
        "vdd", "wn", "ratio", "wp", "rl", "gm1", "vdelay", "cl", "vt", "rser", "rs0", "nseed", "egain", "fgain", "rt", "all",
    };

    [Theory]
    [MemberData(nameof(EveryPathChanges))]
    public void Every_path_in_place_equals_full_rebuild_and_fresh_parse(string parameter)
    {
        Netlist netlist = NetlistParser.Parse(EveryPathDeck);
        Circuit inPlace = Circuit.Create(netlist);
        Circuit rebuilt = Circuit.Create(netlist);
        rebuilt.AlwaysRebuild = true;
        AssertSameRun(Run(rebuilt), Run(inPlace), "nominal");
        string[] names = parameter == "all" ? [.. netlist.Top.Parameters.Select(p => p.Name)] : [parameter];
        foreach (double factor in new[] { 1.1, 0.9 })
        {
            var design = names.ToDictionary(n => n, n => inPlace.GetParameter(n) * factor, StringComparer.Ordinal);
            inPlace.SetParameters(design);
            rebuilt.SetParameters(design);
            AssertSameRun(Run(rebuilt), Run(inPlace), $"{parameter} x{factor}");
            Circuit first = Circuit.Create(netlist);
            first.SetParameters(design);
            Circuit fresh = Circuit.Parse(WithParameters(EveryPathDeck, design));
            AssertSameRun(Run(fresh), Run(first), $"{parameter} x{factor} fresh");
        }

        Assert.Equal(1, inPlace.FullBuilds);
    }

    [Fact]
    public void A_parameter_nothing_reads_touches_nothing_and_an_equal_value_is_no_change()
    {
        Circuit c = Circuit.Parse(EveryPathDeck);
        c.SetParameter("nseed", 7);
        c.SetParameter("vdd", c.GetParameter("vdd"));
        Assert.Equal(1, c.InPlaceUpdates);
        Assert.Equal(1, c.FullBuilds);
    }

    [Theory]
    [InlineData("rser", "d1")]       // the diode's series resistance vanishes: no internal node
    [InlineData("rs0", "m.x1.mp")]   // the PMOS card's RS/RD vanish: no internal drain and source nodes
    public void A_value_that_removes_an_internal_node_rebuilds(string parameter, string device)
    {
        Netlist netlist = NetlistParser.Parse(EveryPathDeck);
        Circuit c = Circuit.Create(netlist);
        int unknowns = c.UnknownNames.Count;
        Assert.Contains(c.UnknownNames, n => n.StartsWith(device + "#", StringComparison.Ordinal));
        c.SetParameter(parameter, 0);
        Assert.Equal(2, c.FullBuilds);
        Assert.Equal(0, c.InPlaceUpdates);
        Assert.True(c.UnknownNames.Count < unknowns);
        Assert.DoesNotContain(c.UnknownNames, n => n.StartsWith(device + "#", StringComparison.Ordinal));
        AssertSameRun(Run(Circuit.Parse(WithParameters(EveryPathDeck, new Dictionary<string, double> { [parameter] = 0 }))), Run(c), parameter + "=0");

        // And back: the node appears again, another full build; then values move in place again.
        c.SetParameter(parameter, 30);
        Assert.Equal(3, c.FullBuilds);
        Assert.Equal(unknowns, c.UnknownNames.Count);
        c.SetParameter(parameter, 40);
        Assert.Equal(3, c.FullBuilds);
        Assert.Equal(1, c.InPlaceUpdates);
    }

    [Fact]
    public void A_card_whose_level_changes_rebuilds()
    {
        const string deck = """
            level switch
            .param lev=1 wn=2u
            vdd d 0 1.8
            vg g 0 1
            m1 d g 0 0 nm w={wn} l=0.5u
            .model nm nmos level={lev} vto=0.5 kp=100u
            .op
            .end
            """;
        Circuit c = Circuit.Parse(deck);
        c.SetParameter("wn", 3e-6);
        Assert.Equal(1, c.InPlaceUpdates);
        c.SetParameter("lev", 8);
        Assert.Equal(2, c.FullBuilds);
        AssertSameRun(Run(Circuit.Parse(WithParameters(deck, new Dictionary<string, double> { ["lev"] = 8, ["wn"] = 3e-6 }))), Run(c), "level 8");
    }

    [Fact]
    public void An_invalid_value_fails_as_a_fresh_build_and_the_next_design_recovers()
    {
        Circuit c = Circuit.Parse(EveryPathDeck);
        SpiceParseException e = Assert.Throws<SpiceParseException>(() => c.SetParameter("rl", 0));
        SpiceParseException fresh = Assert.Throws<SpiceParseException>(() => Circuit.Parse(WithParameters(EveryPathDeck, new Dictionary<string, double> { ["rl"] = 0 })));
        Assert.Equal(fresh.Message, e.Message);
        c.SetParameter("rl", 12e3);
        var expected = Circuit.Parse(WithParameters(EveryPathDeck, new Dictionary<string, double> { ["rl"] = 12e3 }));
        AssertSameRun(Run(expected), Run(c), "after the error");
    }

    [Fact]
    public void New_options_make_the_next_design_build_afresh()
    {
        // Devices read default sizes and tnom when they are made, so options set later reach them by a full build.
        Circuit c = Circuit.Parse(EveryPathDeck);
        c.Options = c.Options with { DefaultL = 1e-6 };
        c.SetParameter("rl", 11e3);
        Assert.Equal(2, c.FullBuilds);
        c.SetParameter("rl", 12e3);
        Assert.Equal(2, c.FullBuilds);
        Assert.Equal(1, c.InPlaceUpdates);
    }

    [Fact]
    public void Bsim3_size_caches_keep_only_sizes_in_use()
    {
        Circuit c = Circuit.Parse(ScaleDeck("chain-bsim3", 40) + ".op\n.end\n");
        _ = c.OperatingPoint();
        for (int i = 0; i < 200; i++)
        {
            c.SetParameter("wn", 1e-6 * (1 + (0.001 * i)));
            _ = c.OperatingPoint();
        }

        var models = c.Engine.Devices.OfType<DnnOpt.Spice.Devices.Mosfets.Bsim3.Bsim3>().Select(b => b.Model).Distinct().ToList();
        Assert.Equal(2, models.Count);

        // Two widths per card in use (nch at wn, pch at 3 wn), each at tnom and 27 °C, plus at most a doubling.
        Assert.All(models, m => Assert.InRange(m.SizeParameterCount, 1, 40));
    }

    /// <summary>The deck text with each named <c>.param</c> assignment replaced by the value (round-trip format).</summary>
    private static string WithParameters(string text, IReadOnlyDictionary<string, double> values)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].TrimStart().StartsWith(".param", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach ((string name, double v) in values)
            {
                lines[i] = Regex.Replace(
                    lines[i],
                    $@"(?<=\s){Regex.Escape(name)}\s*=\s*(\{{[^}}]*\}}|\S+)",
                    name + "=" + v.ToString("R", Ci),
                    RegexOptions.IgnoreCase);
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>The scale study's decks (perf/DnnOpt.Spice.Benchmarks/ScaleDecks.cs), small.</summary>
    internal static string ScaleDeck(string kind, int mosfets)
    {
        var sb = new System.Text.StringBuilder();
        bool bsim3 = kind.EndsWith("bsim3", StringComparison.Ordinal);
        string l = bsim3 ? "0.18u" : "0.5u";
        sb.Append("scale ").Append(kind).Append('\n');
        sb.Append(".param wn=1e-6\n");
        sb.Append(Ci, $"vdd vdd 0 {(bsim3 ? "1.8" : "3.3")}\nvin in 0 0\n");
        if (kind.StartsWith("chain", StringComparison.Ordinal))
        {
            for (int i = 0; i < mosfets / 2; i++)
            {
                string input = i == 0 ? "in" : $"n{i}";
                sb.Append(Ci, $"mp{i} n{i + 1} {input} vdd vdd pch w={{3*wn}} l={l}\n");
                sb.Append(Ci, $"mn{i} n{i + 1} {input} 0 0 nch w={{wn}} l={l}\n");
            }
        }
        else
        {
            int side = (int)Math.Round(Math.Sqrt(mosfets / 4.0));
            sb.Append(Ci, $".subckt nand2 a b y vp\nmpa y a vp vp pch w={{2*wn}} l={l}\nmpb y b vp vp pch w={{2*wn}} l={l}\nmna y a mid 0 nch w={{2*wn}} l={l}\nmnb mid b 0 0 nch w={{2*wn}} l={l}\n.ends\n");
            for (int i = 0; i < side; i++)
            {
                sb.Append(Ci, $"rt{i} vdd p{i}_0 0.5\n");
                for (int j = 0; j < side; j++)
                {
                    string a = j == 0 ? "in" : $"y{i}_{j - 1}";
                    string b = i == 0 ? "vdd" : $"y{i - 1}_{j}";
                    sb.Append(Ci, $"x{i}_{j} {a} {b} y{i}_{j} p{i}_{j} nand2\n");
                    if (j + 1 < side)
                    {
                        sb.Append(Ci, $"rh{i}_{j} p{i}_{j} p{i}_{j + 1} 0.2\n");
                    }

                    if (i + 1 < side)
                    {
                        sb.Append(Ci, $"rv{i}_{j} p{i}_{j} p{i + 1}_{j} 0.2\n");
                    }
                }
            }
        }

        sb.Append(bsim3
            ? ".lib '" + Path.Combine(DeckDirectory, "generic180.lib") + "' tt\n"
            : """
              .model nch nmos level=1 vto=0.6 kp=120u gamma=0.4 phi=0.7 lambda=0.05 tox=9n ld=0.05u
              + cgso=2e-10 cgdo=2e-10 cgbo=1e-11 cj=5e-4 mj=0.5 cjsw=2e-10 mjsw=0.33 pb=0.8
              .model pch pmos level=1 vto=-0.7 kp=40u gamma=0.5 phi=0.7 lambda=0.06 tox=9n ld=0.05u
              + cgso=2e-10 cgdo=2e-10 cgbo=1e-11 cj=6e-4 mj=0.5 cjsw=2.5e-10 mjsw=0.33 pb=0.85

              """);
        return sb.ToString();
    }

    internal sealed record RunResult(IReadOnlyList<AnalysisResult> Analyses, MeasureResults Measures);

    internal static RunResult Run(Circuit c)
    {
        IReadOnlyList<AnalysisResult> results = c.RunAnalyses(c.Measures.DeviceQuantities);
        return new RunResult(results, c.Measure(results));
    }

    internal static void AssertSameRun(RunResult expected, RunResult actual, string what)
    {
        Assert.Equal(expected.Analyses.Count, actual.Analyses.Count);
        for (int a = 0; a < expected.Analyses.Count; a++)
        {
            AnalysisResult e = expected.Analyses[a];
            AnalysisResult x = actual.Analyses[a];
            string where = $"{what}, analysis {a} ({e.GetType().Name})";
            Assert.Equal(e.GetType(), x.GetType());
            Assert.True(e.Converged == x.Converged, where + ": converged differs");
            Assert.True(e.Newton.Exit == x.Newton.Exit && e.Newton.Iterations == x.Newton.Iterations, $"{where}: Newton {e.Newton.Exit}/{e.Newton.Iterations} vs {x.Newton.Exit}/{x.Newton.Iterations}");
            Assert.Equal(e.UnknownNames, x.UnknownNames);
            if (e is OperatingPointResult eo && x is OperatingPointResult xo)
            {
                Tolerance.SameBits(eo.Solution, xo.Solution, where + " solution");
                Tolerance.SameBits(eo.QuantityValues, xo.QuantityValues, where + " device quantities");
            }

            if (e is IVectorSet ev && x is IVectorSet xv)
            {
                Tolerance.SameBits(ev.Scale, xv.Scale, where + " scale");
                Assert.Equal(ev.VectorNames, xv.VectorNames);
                foreach (string name in ev.VectorNames)
                {
                    Assert.True(ev.TryGetVector(name, out IReadOnlyList<Complex>? ve));
                    Assert.True(xv.TryGetVector(name, out IReadOnlyList<Complex>? vx));
                    Tolerance.SameBits([.. ve.Select(c => c.Real)], [.. vx.Select(c => c.Real)], $"{where} {name} (re)");
                    Tolerance.SameBits([.. ve.Select(c => c.Imaginary)], [.. vx.Select(c => c.Imaginary)], $"{where} {name} (im)");
                }
            }
        }

        Assert.Equal(expected.Measures.Count, actual.Measures.Count);
        foreach (MeasureResult m in expected.Measures)
        {
            MeasureResult other = actual.Measures[m.Name];
            Assert.True(m.Status == other.Status && BitConverter.DoubleToInt64Bits(m.Value) == BitConverter.DoubleToInt64Bits(other.Value), $"{what}: measure {m.Name} {m.Status} {m.Value.ToString("R", Ci)} vs {other.Status} {other.Value.ToString("R", Ci)}");
        }
    }
}
