using DnnOpt.Spice.Devices;
using DnnOpt.Spice.Devices.Mosfets;

namespace DnnOpt.Spice.Tests.Devices;

/// <summary>
/// The charge models are consistent with their capacitances: dQ/dv by central differences equals C on both sides of
/// the FC·VJ linearisation point, and Q and C are continuous there; Meyer's capacitances are continuous across the
/// region boundaries and add up to Cox (saturation: 2/3 Cox to the source).
/// </summary>
public sealed class CapacitanceTests
{
    public static TheoryData<double, double> Gradings() => new() { { 0.5, 0.5 }, { 0.33, 0.4 }, { 0.45, 0.8 }, { 0.3, 0.0 } };

    [Theory]
    [MemberData(nameof(Gradings))]
    public void Depletion_charge_derivative_is_the_capacitance(double grading, double fc)
    {
        var j = new DepletionCapacitance(2e-12, 0.75, grading, fc);
        for (double v = -5; v <= 1.5; v += 0.0373)
        {
            const double h = 1e-6;
            double dq = (j.Evaluate(v + h).Charge - j.Evaluate(v - h).Charge) / (2 * h);
            Tolerance.Close(j.Evaluate(v).Capacitance, dq, 1e-6, 1e-22, $"v={v}");
        }

        double edge = fc * 0.75;
        (double qBelow, double cBelow) = j.Evaluate(edge * (1 - 1e-12));
        (double qAbove, double cAbove) = j.Evaluate(edge);
        Tolerance.Close(qBelow, qAbove, 1e-9, 1e-24, "charge continuous at FC*VJ");
        Tolerance.Close(cBelow, cAbove, 1e-9, 1e-24, "capacitance continuous at FC*VJ");
    }

    [Fact]
    public void Depletion_capacitance_is_cj0_at_zero_bias_and_falls_in_reverse()
    {
        var j = new DepletionCapacitance(1e-12, 0.8, 0.5, 0.5);
        Assert.Equal(0, j.Evaluate(0).Charge);
        Tolerance.Close(1e-12, j.Evaluate(0).Capacitance, 1e-15);
        Tolerance.Close(1e-12 / Math.Sqrt(1 + (3 / 0.8)), j.Evaluate(-3).Capacitance, 1e-14);
    }

    [Fact]
    public void Meyer_capacitances_follow_the_regions_and_are_continuous()
    {
        const double cox = 3e-14;
        const double phi = 0.7;
        const double von = 0.6;

        // Saturation: 2/3 Cox to the source (the halves double at an operating point).
        (double cgs, double cgd, double cgb) = Mosfet1.MeyerHalf(1.5, 1.5 - 3, von, 0.9, phi, cox);
        Tolerance.Close(cox / 3, cgs, 1e-15);
        Assert.Equal(0, cgd);
        Assert.Equal(0, cgb);

        // Triode at vds = 0: Cox/2 split equally, i.e. halves of Cox/4 each.
        (cgs, cgd, _) = Mosfet1.MeyerHalf(1.5, 1.5, von, 0.9, phi, cox);
        Tolerance.Close(cox / 4, cgs, 1e-15);
        Tolerance.Close(cox / 4, cgd, 1e-15);

        // Accumulation: all to the bulk.
        (cgs, cgd, cgb) = Mosfet1.MeyerHalf(von - phi - 0.1, von - phi - 0.1, von, 0.025, phi, cox);
        Assert.Equal((0.0, 0.0, cox / 2), (cgs, cgd, cgb));

        // Continuity in vgs at the region edges (vds large: saturation side).
        foreach (double edge in new[] { von - phi, von - (phi / 2), von })
        {
            var below = Mosfet1.MeyerHalf(edge - 1e-9, edge - 1e-9 - 3, von, Math.Max(edge - 1e-9 - von, 0), phi, cox);
            var above = Mosfet1.MeyerHalf(edge + 1e-9, edge + 1e-9 - 3, von, Math.Max(edge + 1e-9 - von, 0), phi, cox);
            Tolerance.Close(below.Cgb, above.Cgb, 0, cox * 1e-6, $"cgb at {edge}");
            Tolerance.Close(below.Cgd, above.Cgd, 0, cox * 1e-6, $"cgd at {edge}");
            Tolerance.Close(below.Cgs, above.Cgs, 0, cox * 1e-6, $"cgs at {edge}");
        }
    }
}
