using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>
/// A model card is resolved once per build for every subcircuit instance whose scope cannot change its values (the
/// scale fix for arrayed cells: 25,000 NAND instances used to resolve and interpret the card 25,000 times), and still
/// once per instance where the card reads that instance's parameters.
/// </summary>
public sealed class ModelSharingTests
{
    private const string Cell = """
        .subckt cell top o w=10u vt=0.5
        rl top o 5k
        m1 o o 0 0 nm w={w} l=1u
        .ends
        """;

    private static List<ResolvedElement> Elaborate(string deck)
    {
        Netlist n = NetlistParser.Parse(deck);
        return Elaborator.Elaborate(n, new Dictionary<string, double>(), new ParameterScope(null));
    }

    private static ResolvedModel ModelOf(List<ResolvedElement> elements, string device) =>
        elements.Single(e => e.Name == device).Model ?? throw new InvalidOperationException("no model");

    [Fact]
    public void Plain_card_is_resolved_once_for_all_instances()
    {
        List<ResolvedElement> elements = Elaborate($"""
            t
            .param vtn=0.45
            vdd vdd 0 3
            x1 vdd a cell w=10u
            x2 vdd b cell w=20u
            x3 vdd c cell w=30u
            {Cell}
            .model nm nmos level=1 vto={"{vtn}"} kp=100u
            .end
            """);
        ResolvedModel first = ModelOf(elements, "m.x1.m1");
        Assert.Same(first, ModelOf(elements, "m.x2.m1"));
        Assert.Same(first, ModelOf(elements, "m.x3.m1"));
        Assert.Equal(0.45, first.Get("vto", double.NaN));
    }

    [Theory]
    [InlineData(".param vt=0.3")]
    [InlineData("")]
    public void Card_reading_an_instance_parameter_is_resolved_per_instance(string topLevel)
    {
        // The top-level card reads vt, which the cell defines (default 0.5) and which shadows a top-level vt when there
        // is one: each instance's scope decides the value, exactly as when every instance resolved the card itself.
        List<ResolvedElement> elements = Elaborate($"""
            t
            {topLevel}
            vdd vdd 0 3
            x1 vdd a cell vt=0.4
            x2 vdd b cell vt=0.6
            x3 vdd c cell
            {Cell}
            .model nm nmos level=1 vto={"{vt}"} kp=100u
            .end
            """);
        Assert.Equal(0.4, ModelOf(elements, "m.x1.m1").Get("vto", double.NaN));
        Assert.Equal(0.6, ModelOf(elements, "m.x2.m1").Get("vto", double.NaN));
        Assert.Equal(0.5, ModelOf(elements, "m.x3.m1").Get("vto", double.NaN));
    }

    [Fact]
    public void Card_reading_only_top_level_parameters_is_shared_and_follows_set_parameter()
    {
        string deck = $"""
            t
            .param vtn=0.45
            vdd vdd 0 3
            x1 vdd a cell
            x2 vdd b cell
            .subckt cell top o
            rl top o 5k
            m1 o o 0 0 nm w=10u l=1u
            .ends
            .model nm nmos level=1 vto={"{vtn}"} kp=100u
            .end
            """;
        List<ResolvedElement> elements = Elaborate(deck);
        Assert.Same(ModelOf(elements, "m.x1.m1"), ModelOf(elements, "m.x2.m1"));

        // The shared card still takes new top-level values: both cells move with vtn, identically.
        Circuit c = Circuit.Parse(deck);
        double before = c.OperatingPoint().Voltage("a");
        c.SetParameter("vtn", 0.7);
        OperatingPointResult op = c.OperatingPoint();
        Assert.True(op.Voltage("a") > before + 0.2, $"{op.Voltage("a")} vs {before}");
        Assert.Equal(op.Voltage("a"), op.Voltage("b"));
    }

    [Fact]
    public void Card_inside_a_subcircuit_reading_its_parameter_differs_per_instance_in_the_solution()
    {
        string deck = """
            t
            vdd vdd 0 3
            x1 vdd a cell vt=0.4
            x2 vdd b cell vt=0.8
            .subckt cell top o vt=0.5
            rl top o 5k
            m1 o o 0 0 nm w=10u l=1u
            .model nm nmos level=1 vto={vt} kp=100u
            .ends
            .end
            """;
        OperatingPointResult op = Circuit.Parse(deck).OperatingPoint();

        // Diode-connected device through 5k: the higher threshold holds the node higher (by about 0.4 V).
        Assert.InRange(op.Voltage("b") - op.Voltage("a"), 0.3, 0.45);
    }
}
