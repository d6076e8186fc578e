using DnnOpt.Sizing.Problems;

namespace DnnOpt.Sizing.Tests.Problems;

public sealed class YamlReaderTests
{
    [Fact]
    public void Reads_the_design_document_example_with_lines()
    {
        const string Text = """
            # a problem
            name: two-stage-ota
            decks: [ota_ac.cir, ota_tran.cir]
            variables:
              - { name: w1, lower: 0.24u, upper: 150u }
              - { name: n1, lower: 1, upper: 20, integer: true }
              - name: cc     # block mapping inside a list item
                lower: 100f
                upper: 10p
                scale: log
            objective: { minimize: power }
            specs:
              - dc_gain > 60
              - 'ugf > 30meg'
            saturation: { devices: [m1, m2, m3], margin: 50m }   # vds - vdsat >= margin
            """;
        var root = Assert.IsType<YamlMapping>(YamlReader.Parse(Text, "p.yaml"));
        Assert.Equal(["name", "decks", "variables", "objective", "specs", "saturation"], root.Entries.Select(e => e.Key.Value));
        Assert.True(root.TryGet("decks", out YamlNode? decks));
        Assert.Equal(["ota_ac.cir", "ota_tran.cir"], Assert.IsType<YamlSequence>(decks).Items.Select(i => ((YamlScalar)i).Value));
        root.TryGet("variables", out YamlNode? vars);
        var list = Assert.IsType<YamlSequence>(vars);
        Assert.Equal(3, list.Items.Count);
        var cc = Assert.IsType<YamlMapping>(list.Items[2]);
        Assert.Equal(7, cc.Line);
        Assert.Equal(["name", "lower", "upper", "scale"], cc.Entries.Select(e => e.Key.Value));
        Assert.Equal(10, cc.Entries[3].Value.Line);
        var n1 = Assert.IsType<YamlMapping>(list.Items[1]);
        n1.TryGet("integer", out YamlNode? integer);
        Assert.Equal("true", ((YamlScalar)integer!).Value);
        root.TryGet("specs", out YamlNode? specs);
        var s = Assert.IsType<YamlSequence>(specs);
        Assert.Equal(("dc_gain > 60", false), (((YamlScalar)s.Items[0]).Value, ((YamlScalar)s.Items[0]).Quoted));
        Assert.Equal(("ugf > 30meg", true, 14), (((YamlScalar)s.Items[1]).Value, ((YamlScalar)s.Items[1]).Quoted, s.Items[1].Line));
        root.TryGet("saturation", out YamlNode? sat);
        var satMap = Assert.IsType<YamlMapping>(sat);
        satMap.TryGet("margin", out YamlNode? margin);
        Assert.Equal("50m", ((YamlScalar)margin!).Value);
    }

    [Fact]
    public void Nested_blocks_same_indent_lists_quotes_and_multiline_flow()
    {
        const string Text = """
            a:
              b:
                c: 1
              d: "x: y # not a comment \"q\""
            list:
            - one
            - 'it''s'
            - - inner1
              - inner2
            flow: { k: [1, 2,
                3], e: {} }
            empty:
            last: value#not-comment
            """;
        var root = Assert.IsType<YamlMapping>(YamlReader.Parse(Text, "t.yaml"));
        root.TryGet("a", out YamlNode? a);
        ((YamlMapping)a!).TryGet("d", out YamlNode? d);
        Assert.Equal("x: y # not a comment \"q\"", ((YamlScalar)d!).Value);
        root.TryGet("list", out YamlNode? list);
        var items = ((YamlSequence)list!).Items;
        Assert.Equal("it's", ((YamlScalar)items[1]).Value);
        Assert.Equal(["inner1", "inner2"], ((YamlSequence)items[2]).Items.Select(i => ((YamlScalar)i).Value));
        root.TryGet("flow", out YamlNode? flow);
        ((YamlMapping)flow!).TryGet("k", out YamlNode? k);
        Assert.Equal(["1", "2", "3"], ((YamlSequence)k!).Items.Select(i => ((YamlScalar)i).Value));
        root.TryGet("empty", out YamlNode? empty);
        Assert.Equal(string.Empty, ((YamlScalar)empty!).Value);
        root.TryGet("last", out YamlNode? last);
        Assert.Equal("value#not-comment", ((YamlScalar)last!).Value);
    }

    public static TheoryData<string, int, string> BadInput() => new()
    {
        { "a: 1\na: 2\n", 2, "given twice" },
        { "a:\n\tb: 1\n", 2, "tab" },
        { "a: &x 1\n", 1, "anchors" },
        { "a: |\n  text\n", 1, "block scalars" },
        { "a: 1\n---\nb: 2\n", 2, "one YAML document" },
        { "a: [1, 2\n", 1, "unclosed '['" },
        { "a: {k 1}\n", 1, "expected ':'" },
        { "a: 'open\n", 1, "unterminated" },
        { "a: 1\n  b: 2\n", 2, "indent" },
        { "a:\n  - x\n  y: 1\n", 3, "indentation" },
        { "a: b\n   c\n", 2, "multi-line plain" },
        { "- x\nb: 1\n", 2, "unexpected" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_names_file_and_line(string text, int line, string what)
    {
        var e = Assert.Throws<SizingProblemException>(() => YamlReader.Parse(text, "bad.yaml"));
        Assert.StartsWith($"bad.yaml:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }
}
