using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>Closed-form oracles, independent of ngspice.</summary>
public sealed class AnalyticTests
{
    private const double Vt300 = 1.38064852e-23 * 300.15 / 1.6021766208e-19;

    public static TheoryData<double, double, double> Dividers() => new()
    {
        { 10, 1e3, 2.2e3 },
        { 1, 1, 1e6 },
        { -3.3, 47, 0.5 },
    };

    [Theory]
    [MemberData(nameof(Dividers))]
    public void Resistive_divider(double v, double r1, double r2)
    {
        Circuit c = Circuit.Parse($"div\nv1 1 0 {F(v)}\nr1 1 2 {F(r1)}\nr2 2 0 {F(r2)}\n.end\n");
        OperatingPointResult op = c.OperatingPoint();
        Assert.True(op.Converged);
        Tolerance.Close(v * r2 / (r1 + r2), op.Voltage("2"), 1e-12, 1e-15, "v(2)");
        Tolerance.Close(-v / (r1 + r2), op.Get("i(v1)"), 1e-10, 1e-18, "i(v1)");
        Tolerance.Close(v / (r1 + r2), op.Get("i(r1)"), 1e-10, 1e-18, "i(r1)");
        Tolerance.Close(v / (r1 + r2), op.Get("@r2[i]"), 1e-10, 1e-18, "@r2[i]");
        Tolerance.Close(v * r2 / (r1 + r2), op.Get("v(2,0)"), 1e-12, 1e-15, "v(2,0)");
        Tolerance.Close(v * r1 / (r1 + r2), op.Get("v(1,2)"), 1e-10, 1e-15, "v(1,2)");
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(1e-6)]
    [InlineData(1e-9)]
    public void Diode_equation_under_current_drive(double current)
    {
        // I = Is (exp(V/(n vt)) - 1) + gmin V: invert for V at the given current, with gmin = 0 to keep it exact.
        const double isat = 1e-14;
        const double n = 1.3;
        Circuit c = Circuit.Parse($"d\ni1 0 a {F(current)}\nd1 a 0 dm\n.model dm d is={F(isat)} n={F(n)}\n.options gmin=0 reltol=1e-9\n.end\n");
        OperatingPointResult op = c.OperatingPoint();
        Assert.True(op.Converged);
        double expected = n * Vt300 * Math.Log((current / isat) + 1);
        Tolerance.Close(expected, op.Voltage("a"), 1e-9, 1e-12, "diode voltage");
        Tolerance.Close(current, op.Quantity("d1", "id"), 1e-6, 1e-18, "diode current");
    }

    [Fact]
    public void Strict_options_give_the_extra_newton_step()
    {
        // Default reltol: the reported point is the last linearisation point (as ngspice), within reltol of the
        // solution. KeepFinalNewtonStep + DeviceConvergenceTest report the final solve: quadratically closer.
        const string deck = "d\ni1 0 a 1m\nd1 a 0 dm\n.model dm d is=1e-14 n=1.3\n.options gmin=0\n.end\n";
        double exact = 1.3 * Vt300 * Math.Log((1e-3 / 1e-14) + 1);
        Circuit ngspiceLike = Circuit.Parse(deck);
        double loose = Math.Abs(ngspiceLike.OperatingPoint().Voltage("a") - exact);
        Circuit strict = Circuit.Parse(deck);
        strict.Options = strict.Options with { KeepFinalNewtonStep = true, DeviceConvergenceTest = true };
        double tight = Math.Abs(strict.OperatingPoint().Voltage("a") - exact);
        Assert.True(loose <= 1e-3 * exact, $"default answer {loose} off");
        Assert.True(tight <= 1e-12, $"strict answer {tight} off");
        Assert.True(tight < loose, $"strict {tight} not better than default {loose}");
    }

    [Fact]
    public void Pinned_mosfet_reports_its_forward_junction_not_a_limited_state()
    {
        // Every node is held by a source, so Newton's node test passes from the second iteration on, while the
        // channel-voltage limiters (fetlim, limvds) walk vds from the initial guess to -2 V in steps. The drain-bulk
        // junction is forward biased by 0.6958 V (the gate turns the channel off): the answer is the diode current.
        // ngspice 39.3 stops this deck at a limited state (i(vb) -6.3e-13 A); the BSIM3 twin is a reference deck.
        const double vbd = 2 - 1.3041768;
        Circuit c = Circuit.Parse("""
            pinned pmos
            vd d 0 2
            vg g 0 13.224101
            vb b 0 1.3041768
            m1 d g 0 b pm w=6.8m l=0.18u
            .model pm pmos level=1 vto=-0.45 kp=60u lambda=0.05 is=1e-14
            .options gmin=0
            .end
            """);
        OperatingPointResult op = c.OperatingPoint();
        Assert.True(op.Converged);
        // Into the bulk: the drain junction's forward current plus the source junction's (reverse) saturation current.
        double expected = (1e-14 * (Math.Exp(vbd / Vt300) - 1)) + (1e-14 * (Math.Exp(-1.3041768 / Vt300) - 1));
        Tolerance.Close(expected, op.Get("i(vb)"), 1e-6, 1e-15, "i(vb)");
    }

    [Theory]
    [InlineData(1.0, 2.0)]
    [InlineData(1.5, 0.3)]
    [InlineData(0.9, 5.0)]
    public void Square_law_current(double vgs, double vds)
    {
        const double kp = 100e-6;
        const double vto = 0.5;
        const double lambda = 0.02;
        const double w = 10e-6;
        const double l = 2e-6;
        Circuit c = Circuit.Parse($"""
            sq
            vd d 0 {F(vds)}
            vg g 0 {F(vgs)}
            m1 d g 0 0 nm w={F(w)} l={F(l)}
            .model nm nmos level=1 vto={F(vto)} kp={F(kp)} lambda={F(lambda)} is=0
            .options gmin=0
            .end
            """);
        OperatingPointResult op = c.OperatingPoint();
        Assert.True(op.Converged);
        double beta = kp * w / l;
        double vov = vgs - vto;
        double id = vds >= vov
            ? 0.5 * beta * vov * vov * (1 + (lambda * vds))
            : beta * vds * (vov - (0.5 * vds)) * (1 + (lambda * vds));
        Tolerance.Close(id, op.Quantity("m1", "id"), 1e-12, 1e-18, "id");
        Tolerance.Close(-id, op.Get("i(vd)"), 1e-9, 1e-15, "i(vd)");
        Assert.Equal(vds >= vov ? 2 : 1, op.Quantity("m1", "region"));
        Tolerance.Close(vov, op.Quantity("m1", "vdsat"), 1e-12, 1e-15, "vdsat");
        Tolerance.Close(vto, op.Quantity("m1", "vth"), 1e-12, 1e-15, "vth");
        double gm = vds >= vov ? beta * vov * (1 + (lambda * vds)) : beta * vds * (1 + (lambda * vds));
        Tolerance.Close(gm, op.Quantity("m1", "gm"), 1e-12, 1e-18, "gm");
    }

    [Fact]
    public void Body_effect_raises_threshold()
    {
        // Vth = VTO + GAMMA (sqrt(PHI - VBS) - sqrt(PHI)).
        Circuit c = Circuit.Parse("""
            b
            vd d 0 3
            vg g 0 2
            vb b 0 -1
            m1 d g 0 b nm w=10u l=1u
            .model nm nmos level=1 vto=0.7 kp=50u gamma=0.5 phi=0.6
            .end
            """);
        OperatingPointResult op = c.OperatingPoint();
        double vth = 0.7 + (0.5 * (Math.Sqrt(1.6) - Math.Sqrt(0.6)));
        Tolerance.Close(vth, op.Quantity("m1", "vth"), 1e-12, 1e-15, "vth");
    }

    [Fact]
    public void Controlled_sources_follow_their_gains()
    {
        Circuit c = Circuit.Parse("""
            ctl
            v1 in 0 0.25
            e1 e 0 in 0 4
            g1 0 g in 0 1m
            rg g 0 2k
            vs in s 0
            rs s 0 1k
            f1 0 f vs 3
            rf f 0 1k
            h1 h 0 vs 500
            .end
            """);
        OperatingPointResult op = c.OperatingPoint();
        Tolerance.Close(1.0, op.Voltage("e"), 1e-12, 1e-15, "e");
        Tolerance.Close(0.5, op.Voltage("g"), 1e-12, 1e-15, "g");
        Tolerance.Close(0.75, op.Voltage("f"), 1e-12, 1e-15, "f");
        Tolerance.Close(0.125, op.Voltage("h"), 1e-12, 1e-15, "h");
    }

    private static string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
