using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Parsing;

/// <summary>The deck's name pool, and line reading by spans (every line break style gives the same statements).</summary>
public sealed class NamePoolTests
{
    [Fact]
    public void Equal_text_gives_one_string_and_different_text_another()
    {
        var pool = new NamePool();
        string text = "m1 n12 n12 vdd vdd pch";
        string a = pool.Get(text.AsSpan(3, 3));
        string b = pool.Get(text.AsSpan(7, 3));
        string c = pool.Get("vdd");
        Assert.Equal("n12", a);
        Assert.Same(a, b);
        Assert.Same(c, pool.Get(text.AsSpan(15, 3)));
        Assert.NotSame(a, c);
        Assert.Equal(string.Empty, pool.Get([]));
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void Nodes_and_model_names_of_a_deck_are_shared()
    {
        Netlist n = NetlistParser.Parse("t\nm1 out in vdd vdd pch w=1u l=1u\nm2 out in 0 0 nch w=1u l=1u\n.model pch pmos level=1\n.model nch nmos level=1\n.end\n");
        ElementStatement m1 = n.Top.Elements[0];
        ElementStatement m2 = n.Top.Elements[1];
        Assert.Same(m1.Nodes[0], m2.Nodes[0]);
        Assert.Same(m1.Nodes[2], m1.Nodes[3]);
        Assert.Same(m1.Parameters["w"], m2.Parameters["l"]);
    }

    public static TheoryData<string> LineBreaks => ["\n", "\r\n", "\r"];

    [Theory]
    [MemberData(nameof(LineBreaks))]
    public void Every_line_break_style_gives_the_same_lines(string br)
    {
        string[] lines = ["My title ", "* comment", "r1 a b 1k ; note", "+ tc1=0.001", string.Empty, "  ", "r2 b 0 2k", "+", ".op", ".end"];
        Netlist reference = NetlistParser.Parse(string.Join('\n', lines));
        Netlist n = NetlistParser.Parse(string.Join(br, lines) + br);
        Assert.Equal("My title", n.Title);
        Assert.Equal(reference.Title, n.Title);
        Assert.Equal(reference.Top.Elements.Select(e => (e.Name, e.Location, string.Join(',', e.Nodes), string.Join(',', e.Parameters.Keys))), n.Top.Elements.Select(e => (e.Name, e.Location, string.Join(',', e.Nodes), string.Join(',', e.Parameters.Keys))));
        Assert.Equal(7, n.Top.Elements[1].Location.Line);
        Assert.Equal("tc1", Assert.Single(n.Top.Elements[0].Parameters.Keys));
        Assert.Single(n.Analyses);
    }

    [Theory]
    [MemberData(nameof(LineBreaks))]
    public void An_unclosed_control_block_names_the_last_physical_line(string br)
    {
        // As splitting at the breaks counts: a deck ending in a break has an empty last line.
        SpiceParseException e = Assert.Throws<SpiceParseException>(() => NetlistParser.Parse(string.Join(br, ["t", "r1 a 0 1", ".control", "run"]) + br));
        Assert.Equal(5, e.Location.Line);
        e = Assert.Throws<SpiceParseException>(() => NetlistParser.Parse(string.Join(br, ["t", "r1 a 0 1", ".control", "run"])));
        Assert.Equal(4, e.Location.Line);
    }
}
