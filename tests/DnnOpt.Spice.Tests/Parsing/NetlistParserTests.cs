using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Parsing;

public sealed class NetlistParserTests
{
    [Fact]
    public void Title_comments_continuation_and_case()
    {
        Netlist n = NetlistParser.Parse("""
            My Title .op
            * a comment line
            R1 A B 1K ; inline comment
            + tc1=0.001
            R2 B 0 {2*RX} $ another comment
            .PARAM RX=1k
            .op
            .end
            r3 this is ignored after end
            """);
        Assert.Equal("My Title .op", n.Title);
        Assert.Equal(2, n.Top.Elements.Count);
        Assert.Equal("r1", n.Top.Elements[0].Name);
        Assert.Equal(["a", "b"], n.Top.Elements[0].Nodes);
        Assert.True(n.Top.Elements[0].Parameters.ContainsKey("tc1"));
        Assert.Single(n.Analyses);
        Assert.Equal("rx", n.Top.Parameters[0].Name);
    }

    [Fact]
    public void Ac_tran_noise_and_measure_lines_become_statements()
    {
        Netlist n = NetlistParser.Parse("""
            t
            vin in 0 dc 0 ac 1
            r1 in out 1k
            c1 out 0 1n
            .ac oct 5 10 {1e6}
            .tran 1n 2u 0.5u 10n UIC
            .noise v(out,in) vin lin 11 1k 10k 1
            .meas ac f3db WHEN vdb(out)=-3
            .measure TRAN tr TRIG v(out) VAL=0.1 RISE=1 TARG v(out) VAL=0.9 RISE=1
            .end
            """);
        AcStatement ac = Assert.IsType<AcStatement>(n.Analyses[0]);
        Assert.Equal(FrequencySweepKind.Octave, ac.Sweep.Kind);
        Assert.Equal(1e6, ac.Sweep.Stop.Evaluate(new ParameterScope(null)), 12);
        TranStatement tran = Assert.IsType<TranStatement>(n.Analyses[1]);
        Assert.True(tran.UseInitialConditions);
        Tolerance.Close(10e-9, tran.MaxStep!.Evaluate(new ParameterScope(null)), 1e-15);
        NoiseStatement noise = Assert.IsType<NoiseStatement>(n.Analyses[2]);
        Assert.Equal(("out", "in", "vin", FrequencySweepKind.Linear), (noise.OutputNode, noise.ReferenceNode, noise.InputSource, noise.Sweep.Kind));
        Assert.NotNull(noise.PointsPerSummary);
        Assert.Equal(2, n.Measures.Count);
        Assert.Equal(("ac", "f3db", "when vdb(out)=-3"), (n.Measures[0].Analysis, n.Measures[0].Name, n.Measures[0].Text));
        Assert.Equal(("tran", "tr"), (n.Measures[1].Analysis, n.Measures[1].Name));
        Assert.Equal(9, n.Measures[1].Location.Line);
    }

    [Fact]
    public void Param_lines_with_spaces_quotes_and_several_assignments()
    {
        Netlist n = NetlistParser.Parse("t\n.param a = 1 + 2 b='a * 2' c={b/3}, d=max(a, b)\nr1 1 0 1\n.end\n");
        var scope = new ParameterScope(null);
        foreach (ParameterAssignment p in n.Top.Parameters)
        {
            scope.Define(p.Name, p.Value, p.Location);
        }

        Assert.True(scope.TryGetValue("a", out double a));
        Assert.True(scope.TryGetValue("b", out double b));
        Assert.True(scope.TryGetValue("c", out double c));
        Assert.True(scope.TryGetValue("d", out double d));
        Assert.Equal((3.0, 6.0, 2.0, 6.0), (a, b, c, d));
    }

    [Fact]
    public void Sources_store_dc_ac_and_waveforms()
    {
        Netlist n = NetlistParser.Parse("""
            t
            v1 1 0 dc 1.5 ac 1 90 sin(0 1 1k)
            v2 2 0 pulse 0 3.3 1n 1n 1n 10n 20n
            i1 3 0 pwl(0 0 1u 1m) ac 2
            r1 1 0 1
            .end
            """);
        ElementStatement v1 = n.Top.Elements[0];
        Assert.NotNull(v1.Value);
        Assert.NotNull(v1.Ac);
        Assert.Equal("sin", v1.Waveform!.Kind);
        Assert.Equal(3, v1.Waveform.Arguments.Count);
        Assert.Equal(7, n.Top.Elements[1].Waveform!.Arguments.Count);
        Assert.Equal("pwl", n.Top.Elements[2].Waveform!.Kind);
    }

    [Fact]
    public void Subcircuits_nest_and_keep_defaults()
    {
        Netlist n = NetlistParser.Parse("""
            t
            .subckt outer a b params: w=1 l=2
            .subckt inner x y
            r1 x y 1
            .ends inner
            x1 a b inner
            .ends outer
            x9 1 0 outer w=3
            .end
            """);
        SubcircuitDefinition outer = n.Top.Subcircuits["outer"];
        Assert.Equal(["a", "b"], outer.Ports);
        Assert.Equal(2, outer.DefaultParameters.Count);
        Assert.True(outer.Body.Subcircuits.ContainsKey("inner"));
        Assert.Equal("outer", n.Top.Elements[0].Reference);
    }

    [Fact]
    public void Options_temp_ic_nodeset_and_dc()
    {
        Netlist n = NetlistParser.Parse("""
            t
            .options reltol=1e-4 abstol=1e-10 noacct
            .temp 50
            .ic v(1)=2 v(2)=3
            .nodeset v(1)=1.9
            .dc v1 0 5 0.1 temp 0 100 50
            v1 1 0 1
            r1 1 2 1
            r2 2 0 1
            .end
            """);
        Assert.Equal(3, n.Options.Count);
        Assert.Null(n.Options["noacct"].Value);
        Assert.NotNull(n.Temperature);
        Assert.Equal(2, n.InitialConditions.Count);
        Assert.Single(n.Nodesets);
        var dc = Assert.IsType<DcStatement>(n.Analyses[0]);
        Assert.Equal(["v1", "temp"], dc.Sweeps.Select(s => s.Target));
    }

    [Fact]
    public void Include_and_lib_sections_resolve_relative_to_the_deck()
    {
        var files = new Dictionary<string, string>
        {
            [Path.Combine("dir", "models.inc")] = "* models\n.model dm d is=1e-15\n",
            [Path.Combine("dir", "corners.lib")] = ".lib tt\n.param r=1k\n.endl\n.lib ff\n.param r=2k\n.endl\n",
        };
        Netlist n = NetlistParser.Parse(
            "t\n.include models.inc\n.lib corners.lib ff\nd1 1 0 dm\nr1 1 0 {r}\n.end\n",
            Path.Combine("dir", "deck.cir"),
            p => files.TryGetValue(p, out string? text) ? text : throw new FileNotFoundException(p));
        Assert.True(n.Top.Models.ContainsKey("dm"));
        Assert.Single(n.Top.Parameters);
        var scope = new ParameterScope(null);
        scope.Define("r", n.Top.Parameters[0].Value, n.Top.Parameters[0].Location);
        Assert.True(scope.TryGetValue("r", out double r));
        Assert.Equal(2000, r);
    }

    [Fact]
    public void Controlled_source_gains_take_expressions_and_an_unknown_name_is_reported_at_its_line()
    {
        Circuit c = Circuit.Parse("t\n.param k=2\nv1 2 0 1.5\ne1 1 0 2 0 {3*k}\nr1 1 0 1k\n.op\n.end\n");
        Assert.Equal(9.0, c.OperatingPoint().Get("v(1)"), 12);
        c.SetParameter("k", 0.5);
        Assert.Equal(2.25, c.OperatingPoint().Get("v(1)"), 12);

        var e = Assert.Throws<SpiceParseException>(() => Circuit.Parse("t\nv1 2 0 1\ne1 1 0 2 0 {nope}\nr1 1 0 1k\n.op\n.end\n", "deck.cir").OperatingPoint());
        Assert.StartsWith("deck.cir:3:", e.Message, StringComparison.Ordinal);
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, string> BadDecks() => new()
    {
        { "t\nr1 1 0 1k\n.tran 1n\n.end\n", 3, ".tran" },
        { "t\nr1 1 0 1k\n.ac log 10 1 1meg\n.end\n", 3, ".ac" },
        { "t\nr1 1 0 1k\n.noise v(1) r1 dec 10 1 1k\n.end\n", 3, ".noise" },
        { "t\nr1 1 0 1k\n.meas tran\n.end\n", 3, ".meas" },
        { "t\nr1 1 0 1k\n.meas foo x find v(1) at=1\n.end\n", 3, ".meas" },
        { "t\nq1 1 2 3 qmod\n.end\n", 2, "q1" },
        { "t\nr1 1 0\n.end\n", 2, "r1" },
        { "t\nr1 1 0 abc\n.end\n", 2, "abc" },
        { "t\ne1 1 0 poly(1) 2 0 1\n.end\n", 2, "poly" },
        { "t\n.subckt s a\nr1 a 0 1\n.end\n", 2, "no .ends" },
        { "t\nr1 1 0 {1+}\n.end\n", 2, "expression" },
        { "t\n.model m1 d (is=1e-14\n+ n)\n.end\n", 2, "m1" },
        { "t\nr1 1 0 1\nr1 1 0 2\n.end\n", 3, "duplicate" },
        { "t\nv1 1 0 dc 1 foo\n.end\n", 2, "foo" },
        { "t\n.include missing.inc\n.end\n", 2, "missing.inc" },
        { "t\n.lib x.lib\n.end\n", 2, "x.lib" },
        { "t\n+ r1 1 0 1\n.end\n", 2, "continuation" },
        { "t\n.dc v1 0 1\n.end\n", 2, ".dc" },
        { "t\ng1 0 1 2 0 {gm*}\n.end\n", 2, "g1 gain '{gm*}'" },
        { "t\ne1 1 0 2 0 'k+'\n.end\n", 2, "e1 gain '{k+}'" },
        { "t\nf1 1 0 vs {(beta}\n.end\n", 2, "f1 gain" },
        { "t\nh1 1 0 vs abc\n.end\n", 2, "h1 gain, found 'abc'" },
        { "t\ne1 1 0 2 0\n.end\n", 2, "too few fields for e1" },
        { "t\nf1 1 0 {2}\n.end\n", 2, "too few fields for f1" },
        { "t\ng1 1 0 {x} 0 1m\n.end\n", 2, "expected a node name in g1" },
    };

    [Theory]
    [MemberData(nameof(BadDecks))]
    public void Unsupported_or_bad_input_names_file_line_and_construct(string deck, int line, string construct)
    {
        var e = Assert.Throws<SpiceParseException>(() => NetlistParser.Parse(deck, "deck.cir", p => throw new FileNotFoundException(p)));
        Assert.Equal("deck.cir", e.Location.File);
        Assert.Equal(line, e.Location.Line);
        Assert.Contains(construct, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith($"deck.cir:{line}:", e.Message, StringComparison.Ordinal);
    }
}
