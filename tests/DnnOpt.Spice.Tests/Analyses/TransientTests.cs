using System.Globalization;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;
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

    /// <summary>
    /// Series RLC (output across C) driven by a 0 → 1 V ramp of rise time tr starting at t = 0: the ramp response
    /// (1/tr)(g(t) - g(t - tr)), g the integral of the unit-step response
    /// s(t) = 1 - e^(-αt)(cos ωd t + α/ωd sin ωd t), integrated in closed form.
    /// </summary>
    private static double RlcRamp(double t, double tr, double alpha, double wd)
    {
        double G(double x)
        {
            if (x <= 0)
            {
                return 0;
            }

            double w2 = (alpha * alpha) + (wd * wd);
            double e = Math.Exp(-alpha * x);
            double c = Math.Cos(wd * x);
            double sn = Math.Sin(wd * x);

            // ∫0^x e^(-ατ) cos ωτ dτ and ∫0^x e^(-ατ) sin ωτ dτ.
            double intCos = ((e * ((wd * sn) - (alpha * c))) + alpha) / w2;
            double intSin = ((e * ((-alpha * sn) - (wd * c))) + wd) / w2;
            return x - intCos - (alpha / wd * intSin);
        }

        return (G(t) - G(t - tr)) / tr;
    }

    [Theory]
    [InlineData("trap")]
    [InlineData("gear")]
    public void Rlc_step_follows_the_closed_form(string method)
    {
        const double R = 20;
        const double L = 1e-6;
        const double C = 1e-9;
        Circuit c = Circuit.Parse($"""
            rlc step
            v1 in 0 pulse(0 1 0 2n 2n 1u 2u)
            r1 in a {R}
            l1 a out {L}
            c1 out 0 {C}
            .options method={method}
            .tran 1n 800n
            .end
            """);
        var r = (TransientResult)c.RunAnalyses()[0];
        Assert.True(r.Converged, r.Exit.ToString());
        double alpha = R / (2 * L);
        double wd = Math.Sqrt((1 / (L * C)) - (alpha * alpha));
        double[] v = r.Get("v(out)");
        double worst = 0;
        for (int i = 0; i < r.Count; i++)
        {
            worst = Math.Max(worst, Math.Abs(v[i] - RlcRamp(r.Time[i], 2e-9, alpha, wd)));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method}: {r.Count} points, max |error| {worst:E2} V (overshoot to about 1.7 V)"));
        Assert.True(worst < 2e-3, $"max error {worst} (0.1% of the swing allowed)");
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

    private const string Rc = """
        rc
        v1 in 0 pulse(0 1 10n 10n 10n 200n 400n)
        r1 in out 1k
        c1 out 0 1n
        """;

    [Fact]
    public void Tstart_drops_earlier_points_and_tmax_bounds_every_step()
    {
        Circuit c = Circuit.Parse(Rc + "\n.tran 10n 2u 1u 7n\n.end\n");
        var r = (TransientResult)c.RunAnalyses()[0];
        Assert.True(r.Converged);
        Assert.True(r.Time[0] >= 1e-6, $"first stored point {r.Time[0]}");
        for (int i = 1; i < r.Count; i++)
        {
            Assert.True(r.Time[i] - r.Time[i - 1] <= 7e-9 * (1 + 1e-9), $"step {r.Time[i] - r.Time[i - 1]} at {r.Time[i]}");
        }
    }

    [Fact]
    public void Options_maxstep_applies_when_the_tran_line_has_no_tmax()
    {
        Circuit c = Circuit.Parse(Rc + "\n.options maxstep=3n\n.tran 10n 1u\n.end\n");
        var r = (TransientResult)c.RunAnalyses()[0];
        Assert.True(r.Converged);
        Assert.True(r.Count > 1e-6 / 3e-9, $"{r.Count} points");
        for (int i = 1; i < r.Count; i++)
        {
            Assert.True(r.Time[i] - r.Time[i - 1] <= 3e-9 * (1 + 1e-9));
        }
    }

    [Fact]
    public void Every_pulse_corner_is_a_time_point()
    {
        Circuit c = Circuit.Parse(Rc + "\n.tran 10n 1u\n.end\n");
        var r = (TransientResult)c.RunAnalyses()[0];
        foreach (double corner in new[] { 10e-9, 20e-9, 220e-9, 230e-9, 410e-9, 420e-9, 620e-9, 630e-9, 810e-9, 820e-9 })
        {
            Assert.Contains(r.Time, t => Math.Abs(t - corner) < 1e-18);
        }
    }

    [Fact]
    public void Newton_failure_ends_the_run_as_a_result_not_an_exception()
    {
        // One Newton iteration can never be final, so every step fails and is cut by 8 until it falls below delmin.
        Circuit c = Circuit.Parse(Rc + "\n.end\n");
        c.Options = c.Options with { StrictIterationLimits = true, Itl4 = 1 };
        TransientResult r = c.Transient(new TransientSettings(10e-9, 1e-6));
        Assert.False(r.Converged);
        Assert.Equal(TransientExit.TimestepTooSmall, r.Exit);
        Assert.True(r.FailureTime > 0 && r.FailureTime < 1e-6);
        Assert.Equal(1, r.Count);
    }

    [Fact]
    public void A_second_run_repeats_the_first_and_leaves_dc_analyses_unchanged()
    {
        Circuit c = Circuit.Parse(Rc + "\n.end\n");
        double opBefore = c.OperatingPoint().Voltage("out");
        TransientResult a = c.Transient(10e-9, 1e-6);
        TransientResult b = c.Transient(10e-9, 1e-6);
        Assert.Equal(a.Time, b.Time);
        Assert.Equal(a.Get("v(out)"), b.Get("v(out)"));
        Assert.Equal(opBefore, c.OperatingPoint().Voltage("out"));
    }

    [Fact]
    public void The_result_is_a_vector_set_over_time()
    {
        Circuit c = Circuit.Parse(Rc + "\n.end\n");
        TransientResult r = c.Transient(10e-9, 1e-6);
        Check(r, r.Get("v(out)"));
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The test reads the result through the interface .measure and the raw writer use.")]
    private static void Check(IVectorSet set, double[] vout)
    {
        Assert.Equal("tran", set.AnalysisKind);
        Assert.Equal("time", set.ScaleName);
        Assert.False(set.IsComplex);
        Assert.Contains("v(out)", set.VectorNames);
        Assert.Contains("i(v1)", set.VectorNames);
        Assert.True(set.TryGetVector("v(out)", out IReadOnlyList<System.Numerics.Complex>? v));
        Assert.Equal(vout, v.Select(z => z.Real));
        Assert.All(v, z => Assert.Equal(0.0, z.Imaginary));
        Assert.False(set.TryGetVector("v(nope)", out _));
    }

    [Theory]
    [InlineData(".tran 10n 0")]
    [InlineData(".tran 0 1u")]
    [InlineData(".tran 10n 1u 2u")]
    [InlineData(".options method=euler\n.tran 10n 1u")]
    [InlineData(".options maxord=3\n.tran 10n 1u")]
    [InlineData(".ic v(nope)=1\n.tran 10n 1u")]
    [InlineData(".options interp\n.tran 10n 1u")]
    [InlineData(".tran 1n 100")]
    [InlineData(".tran 1u 1 0 1p")]
    public void Bad_transient_input_is_a_parse_error_with_a_line(string lines)
    {
        SpiceParseException e = Assert.Throws<SpiceParseException>(() => Circuit.Parse(Rc + "\n" + lines + "\n.end\n").RunAnalyses());
        Assert.Matches(@":\d+", e.Message);
    }

    [Fact]
    public void A_transient_of_ten_million_steps_is_still_accepted()
    {
        // The limit is on steps certain to be needed: 1e7 steps of 1 ns pass validation, one more does not.
        new TransientSettings(1e-9, 1e-2).Validate();
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransientSettings(1e-9, 1.0000001e-2).Validate());

        // .options maxstep sets the largest step when TMAX is not given: 1e5 steps of 1 us, not 1e8 of TSTEP.
        Assert.Throws<SpiceParseException>(() => Circuit.Parse(Rc + "\n.tran 1n 100m\n.end\n").RunAnalyses());
        TransientResult r = Circuit.Parse(Rc + "\n.options maxstep=1m\n.tran 1n 100m\n.end\n").Transient(new TransientSettings(1e-9, 0.1));
        Assert.True(r.Exit == TransientExit.Completed, r.Exit.ToString());
    }

    [Fact]
    public void Saved_device_quantities_are_vectors_and_unknown_ones_are_rejected()
    {
        Circuit c = Circuit.Parse(Rc + "\n.end\n");
        TransientResult r = c.Transient(new TransientSettings(10e-9, 1e-6), ["@c1[c]", "@v1[i]"]);
        Assert.All(r.Get("@c1[c]"), v => Assert.Equal(1e-9, v));
        Assert.Equal(r.Get("i(v1)"), r.Get("@v1[i]"));
        Assert.Contains("@v1[i]", ((IVectorSet)r).VectorNames);
        Assert.Throws<KeyNotFoundException>(() => r.Get("@r1[i]"));
        Assert.Throws<ArgumentException>(() => c.Transient(new TransientSettings(10e-9, 1e-6), ["@c1[nope]"]));
        Assert.Throws<ArgumentException>(() => c.Transient(new TransientSettings(10e-9, 1e-6), ["c1"]));
    }

    [Fact]
    public void A_source_with_dc_and_a_waveform_uses_the_waveform_in_the_transient_and_dc_in_op()
    {
        // ngspice 39: `tran` prints v(in)[0] = 0 (the pulse at t = 0), `op` prints v(in) = 0.5 (the dc value).
        Circuit c = Circuit.Parse("dc and waveform\nv1 in 0 dc 0.5 pulse(0 1 10n 1n 1n 20n 50n)\nr1 in out 1k\nc1 out 0 1p\n.end\n");
        TransientResult r = c.Transient(1e-9, 40e-9);
        Assert.Equal(0.0, r.Get("v(in)")[0]);
        Assert.Equal(0.0, r.Get("v(out)")[0]);
        Assert.Equal(1.0, r.Interpolate("v(in)", 20e-9), 12);
        Assert.Equal(0.5, c.OperatingPoint().Voltage("in"), 12);
    }
}
