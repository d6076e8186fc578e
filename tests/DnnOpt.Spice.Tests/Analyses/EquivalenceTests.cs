using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>Two descriptions of the same circuit must give the same answer.</summary>
public sealed class EquivalenceTests
{
    private const string Models = """
        .model nm nmos level=1 vto=0.5 kp=100u gamma=0.4 phi=0.7 lambda=0.05 rd=10 rs=10 is=1e-14
        .model dm d is=1e-14 rs=3
        .options reltol=1e-10 vntol=1e-12 abstol=1e-16
        """;

    // gmin sits across every junction, so three devices carry three gmins where one m=3 device carries one.
    private const string NoGmin = ".options gmin=0";

    [Fact]
    public void Mosfet_m3_equals_three_in_parallel()
    {
        Circuit one = Circuit.Parse($"a\nvdd vdd 0 3\nrl vdd d 2k\nvg g 0 1.2\nm1 d g 0 0 nm w=10u l=1u m=3\n{Models}\n{NoGmin}\n.end\n");
        Circuit three = Circuit.Parse($"b\nvdd vdd 0 3\nrl vdd d 2k\nvg g 0 1.2\nm1 d g 0 0 nm w=10u l=1u\nm2 d g 0 0 nm w=10u l=1u\nm3 d g 0 0 nm w=10u l=1u\n{Models}\n{NoGmin}\n.end\n");
        OperatingPointResult a = one.OperatingPoint();
        OperatingPointResult b = three.OperatingPoint();
        Tolerance.Close(b.Voltage("d"), a.Voltage("d"), 1e-9, 1e-12, "v(d)");
        Tolerance.Close(3 * b.Quantity("m1", "id"), a.Quantity("m1", "id"), 1e-8, 1e-15, "id");
        Tolerance.Close(3 * b.Quantity("m1", "gm"), a.Quantity("m1", "gm"), 1e-8, 1e-15, "gm");
    }

    [Fact]
    public void Diode_m2_equals_two_in_parallel()
    {
        Circuit one = Circuit.Parse($"a\nv1 1 0 2\nr1 1 2 100\nd1 2 0 dm m=2\n{Models}\n.end\n");
        Circuit two = Circuit.Parse($"b\nv1 1 0 2\nr1 1 2 100\nd1 2 0 dm\nd2 2 0 dm\n{Models}\n.end\n");
        Tolerance.Close(two.OperatingPoint().Voltage("2"), one.OperatingPoint().Voltage("2"), 1e-9, 1e-12, "v(2)");
    }

    [Fact]
    public void Subcircuit_equals_its_flat_expansion()
    {
        Circuit hier = Circuit.Parse($$"""
            h
            vdd vdd 0 3
            x1 vdd out stage w=20u
            .subckt stage top o w=10u
            rl top o 5k
            m1 o o 0 0 nm w={w} l=1u
            .ends
            {{Models}}
            .end
            """);
        Circuit flat = Circuit.Parse($"f\nvdd vdd 0 3\nrl vdd out 5k\nm1 out out 0 0 nm w=20u l=1u\n{Models}\n.end\n");
        OperatingPointResult h = hier.OperatingPoint();
        Tolerance.Close(flat.OperatingPoint().Voltage("out"), h.Voltage("out"), 1e-12, 1e-15, "v(out)");
        Assert.Contains("m.x1.m1", hier.DeviceNames);
    }

    [Fact]
    public void Set_parameter_equals_editing_the_text_and_keeps_the_lu_order()
    {
        string Deck(string w) => $"p\n.param wn={w}\nvdd vdd 0 3\nrl vdd d 2k\nvg g 0 1.2\nm1 d g 0 0 nm w={{wn}} l=1u\n{Models}\n.end\n";
        Circuit c = Circuit.Parse(Deck("10u"));
        _ = c.OperatingPoint();
        int orderings = c.LuOrderings;
        c.SetParameter("wn", 25e-6);
        OperatingPointResult changed = c.OperatingPoint();
        OperatingPointResult reparsed = Circuit.Parse(Deck("25u")).OperatingPoint();
        Assert.Equal(reparsed.Voltage("d"), changed.Voltage("d"), 14);
        Assert.Equal(orderings, c.LuOrderings);
        Assert.Equal(25e-6, c.GetParameter("wn"));
    }

    [Fact]
    public void Dc_sweep_points_equal_separate_operating_points()
    {
        string deck = $"s\n.param rl=2k\nvdd vdd 0 3\nr1 vdd d {{rl}}\nvg g 0 0\nm1 d g 0 0 nm w=10u l=1u\n{Models}\n.end\n";
        Circuit sweep = Circuit.Parse(deck);
        DcSweepResult r = sweep.DcSweep([new DcSweep("vg", 0, 2, 0.25), new DcSweep("rl", 1e3, 3e3, 1e3)], ["@m1[gm]"]);
        Assert.True(r.Converged);
        Assert.Equal(27, r.Count);
        double[] vd = r.Get("v(d)");
        double[] gm = r.Get("@m1[gm]");
        for (int p = 0; p < r.Count; p++)
        {
            double vg = r.SweepValues(0)[p];
            double rl = r.SweepValues(1)[p];
            Circuit single = Circuit.Parse(deck.Replace("vg g 0 0", $"vg g 0 {vg.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", StringComparison.Ordinal));
            single.SetParameter("rl", rl);
            OperatingPointResult op = single.OperatingPoint();
            Tolerance.Close(op.Voltage("d"), vd[p], 1e-8, 1e-10, $"v(d) at vg={vg} rl={rl}");
            Tolerance.Close(op.Quantity("m1", "gm"), gm[p], 1e-7, 1e-14, $"gm at vg={vg} rl={rl}");
        }

        // The sweep restores what it changed.
        Assert.Equal(2000, sweep.GetParameter("rl"));
    }

    [Fact]
    public void Temperature_sweep_equals_dot_temp()
    {
        string deck = $"t\nv1 1 0 5\nr1 1 2 10k\nd1 2 0 dm\n{Models}\n.end\n";
        DcSweepResult r = Circuit.Parse(deck).DcSweep([new DcSweep("temp", -20, 100, 40)]);
        double[] v = r.Get("v(2)");
        for (int p = 0; p < r.Count; p++)
        {
            double t = r.SweepValues(0)[p];
            Circuit c = Circuit.Parse(deck.Replace(".end", $".temp {t.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}\n.end", StringComparison.Ordinal));
            Tolerance.Close(c.OperatingPoint().Voltage("2"), v[p], 1e-8, 1e-10, $"v(2) at {t} C");
        }
    }
}
