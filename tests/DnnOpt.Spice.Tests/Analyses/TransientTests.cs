using System.Globalization;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using Xunit.Abstractions;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>Transient analysis against closed-form responses of linear circuits.</summary>
public sealed class TransientTests(ITestOutputHelper output)
{
    private const double Tau = 1e-6;

    /// <summary>RC low-pass driven by a 0 → 1 V ramp of rise time tr: exact response of the linear ODE.</summary>
    private static double RcRamp(double t, double tr)
    {
        if (t <= 0)
        {
            return 0;
        }

        return t <= tr
            ? (t - (Tau * (1 - Math.Exp(-t / Tau)))) / tr
            : 1 - (Tau / tr * (Math.Exp(tr / Tau) - 1) * Math.Exp(-t / Tau));
    }

    [Theory]
    [InlineData("trap")]
    [InlineData("gear")]
    public void Rc_step_follows_the_closed_form_within_a_tenth_of_a_percent(string method)
    {
        Circuit c = Circuit.Parse($"""
            rc step
            v1 in 0 pulse(0 1 0 10n 10n 1 2)
            r1 in out 1k
            c1 out 0 1n
            .options method={method}
            .tran 20n 5u
            .end
            """);
        var r = (TransientResult)c.RunAnalyses()[0];
        Assert.True(r.Converged, r.Exit.ToString());
        double[] v = r.Get("v(out)");
        double worst = 0;
        for (int i = 0; i < r.Count; i++)
        {
            worst = Math.Max(worst, Math.Abs(v[i] - RcRamp(r.Time[i], 10e-9)));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method}: {r.Count} points, max |error| {worst:E2} V of a 1 V swing"));
        Assert.Equal(5e-6, r.Time[^1], 15);
        Assert.True(worst < 1e-3, $"max error {worst}");
    }

    [Theory]
    [InlineData("trap")]
    [InlineData("gear")]
    public void Rlc_ringing_with_uic_follows_the_closed_form(string method)
    {
        // Series RLC, capacitor charged to 1 V, no current: vC = e^(-αt) (cos ωd t + α/ωd sin ωd t).
        const double R = 20;
        const double L = 1e-6;
        const double C = 1e-9;
        Circuit c = Circuit.Parse($"""
            rlc ringing
            r1 a b {R}
            l1 b c {L}
            c1 a c {C} ic=1
            vgnd c 0 0
            .options method={method}
            .tran 1n 1u uic
            .end
            """);
        var r = (TransientResult)c.RunAnalyses()[0];
        Assert.True(r.Converged, r.Exit.ToString());
        double alpha = R / (2 * L);
        double wd = Math.Sqrt((1 / (L * C)) - (alpha * alpha));
        double[] v = r.Get("v(a,c)");
        double worst = 0;

        // As in ngspice, a uic run stores no t = 0 point; the first is the first time step.
        Assert.True(r.Time[0] > 0);
        for (int i = 0; i < r.Count; i++)
        {
            double t = r.Time[i];
            double want = Math.Exp(-alpha * t) * (Math.Cos(wd * t) + (alpha / wd * Math.Sin(wd * t)));
            worst = Math.Max(worst, Math.Abs(v[i] - want));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method}: {r.Count} points, max |error| {worst:E2} V of a 2 V swing"));
        Assert.True(worst < 2e-3, $"max error {worst} (0.1% of the swing allowed)");
    }
}
