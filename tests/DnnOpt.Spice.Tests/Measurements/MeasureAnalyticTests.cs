using System.Numerics;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Measurements;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Measurements;

/// <summary>
/// Every measure kind on synthetic vectors whose answers are known in closed form: ramps (linear interpolation is
/// exact), a triangle wave (crossing counts), a sine (rms A/√2, extremes on grid points), a one-pole AC response
/// (dB, phase), plus the ngspice quirks confirmed by running ngspice 39.3 on the same samples.
/// </summary>
public sealed class MeasureAnalyticTests
{
    private static readonly SourceLocation Here = new("t.cir", 7);

    internal sealed class Scope(params (string Name, double Value)[] values) : IParameterScope
    {
        public bool TryGetValue(string name, out double value)
        {
            foreach ((string n, double v) in values)
            {
                if (n == name)
                {
                    value = v;
                    return true;
                }
            }

            value = 0;
            return false;
        }
    }

    internal static MeasureResult Measure(IVectorSet set, string text, IParameterScope? scope = null, MeasureOptions? options = null) =>
        MeasureDefinition.Parse(set.AnalysisKind, "m", text, Here).Evaluate(set, scope ?? new Scope(), options);

    private static double Value(IVectorSet set, string text, IParameterScope? scope = null, MeasureOptions? options = null)
    {
        MeasureResult r = Measure(set, text, scope, options);
        Assert.True(r.Succeeded, $"'{text}' failed: {r.Reason}");
        return r.Value;
    }

    // 128 equal steps of 1/128 (exact in binary): Simpson panels apply everywhere and are exact up to cubics.
    private static SyntheticVectors Ramp() => new SyntheticVectors("tran", "time", SyntheticVectors.Linear(0, 1, 128))
        .Add("v(out)", t => 2 * t)
        .Add("v(a)", t => t)
        .Add("v(b)", t => 2 * t)
        .Add("i(v1)", t => 1e-3 * t);

    private static double Triangle(double t)
    {
        double f = t - Math.Floor(t);
        return f <= 0.5 ? 2 * f : 2 * (1 - f);
    }

    // Rises through 0.5 at 0.25, 1.25, 2.25 and falls at 0.75, 1.75, 2.75; corners lie on grid points.
    private static SyntheticVectors Triangles() => new SyntheticVectors("tran", "time", SyntheticVectors.Linear(0, 3, 3 * 128))
        .Add("v(x)", Triangle)
        .Add("v(y)", t => t)
        .Add("v(c)", _ => 0.3);

    [Theory]
    [InlineData("find v(out) at=0.337", 0.674)]
    [InlineData("find v(out) at = 0.337", 0.674)]
    [InlineData("find v(out) at=337m", 0.674)]
    [InlineData("find v(out) at=0", 0)]
    [InlineData("find v(out) at=1", 2)]
    [InlineData("find i(v1) at=0.5", 0.5e-3)]
    [InlineData("find v(a,b) at=0.5", -0.5)]
    [InlineData("find v( a , 0 ) at=0.5", 0.5)]
    [InlineData("find v(0,a) at=0.5", -0.5)]
    [InlineData("find time at=0.3", 0.3)]
    [InlineData("when v(out)=0.5", 0.25)]
    [InlineData("when v(out) = 0.5 rise = 1", 0.25)]
    [InlineData("when v(out)=v(a)+1", double.NaN)]
    [InlineData("trig v(out) val=0.2 rise=1 targ v(out) val=0.8 rise=1", 0.3)]
    [InlineData("trig at=0.1 targ v(out) val=1 cross=1", 0.4)]
    [InlineData("deriv v(out) at=0.5", 2)]
    [InlineData("deriv v(a,b) at=0.3", -1)]
    [InlineData("avg v(out)", 1)]
    [InlineData("avg v(out) from=0.25 to=0.75", 1)]
    [InlineData("integ v(out)", 1)]
    [InlineData("integral v(out) from=0.1 to=0.9", 0.8)]
    [InlineData("integ v(out) from=0.105 to=0.895", 0.79)]
    [InlineData("max v(out)", 2)]
    [InlineData("min v(out) from=0.5", 1)]
    [InlineData("pp v(out) from=0.25 to=0.75", 1)]
    [InlineData("max_at v(out)", 1)]
    [InlineData("min_at v(out)", 0)]
    public void Ramp_measures_are_exact(string text, double expected)
    {
        SyntheticVectors ramp = Ramp();
        if (double.IsNaN(expected))
        {
            // 'v(a)+1' is no vector and no parameter expression over known names: a parse-time error, not a guess.
            Assert.Throws<SpiceParseException>(() => Measure(ramp, text));
            return;
        }

        Tolerance.Close(expected, Value(ramp, text), 1e-12, 1e-15, text);
    }

    [Fact]
    public void Rms_of_a_ramp_is_exact_with_simpson_panels()
    {
        // rms of 2t on [0,1] = sqrt(4/3): t² is integrated exactly by Simpson panels on equal steps.
        Tolerance.Close(Math.Sqrt(4.0 / 3.0), Value(Ramp(), "rms v(out)"), 1e-12, 0, "rms");
    }

    [Theory]
    [InlineData("when v(x)=0.5", 0.25)]
    [InlineData("when v(x)=0.5 rise=2", 1.25)]
    [InlineData("when v(x)=0.5 fall=1", 0.75)]
    [InlineData("when v(x)=0.5 cross=3", 1.25)]
    [InlineData("when v(x)=0.5 cross=4", 1.75)]
    [InlineData("when v(x)=0.5 rise=last", 2.25)]
    [InlineData("when v(x)=0.5 fall=last", 2.75)]
    [InlineData("when v(x)=0.5 cross=last", 2.75)]
    [InlineData("when v(x)=0.5 last", 2.75)]
    [InlineData("when v(x)=0.5 rise=1 td=0.5", 1.25)]
    [InlineData("when v(x)=0.5 td=0.5", 0.75)]
    [InlineData("when v(x)=0.5 cross=2 td=1.1", 1.75)]
    [InlineData("find v(y) when v(x)=0.5 fall=2", 1.75)]
    [InlineData("deriv v(x) when v(x)=0.5 fall=1", -2)]
    [InlineData("deriv v(x) when v(x)=0.5 rise=3", 2)]
    [InlineData("when v(x)=v(c)", 0.15)]
    [InlineData("when v(x)=v(c) fall=2", 1.85)]
    [InlineData("when v(x)=thr rise=2", 1.25)]
    [InlineData("when v(x)='thr*2-0.5' fall=1", 0.75)]
    [InlineData("when v(x)={thr} fall=1", 0.75)]
    [InlineData("trig v(x) val=0.5 rise=1 targ v(x) val=0.5 fall=1", 0.5)]
    [InlineData("trig v(x) val=0.5 rise=2 targ v(x) val=0.5 rise=3", 1)]
    [InlineData("trig v(x) val=0.5 rise=1 targ v(y) val=2 cross=1 td=1", 1.75)]
    [InlineData("avg v(x)", 0.5)]
    [InlineData("pp v(x)", 1)]
    [InlineData("max_at v(x) to=1.2", 0.5)]
    public void Triangle_wave_crossing_counts(string text, double expected)
    {
        Tolerance.Close(expected, Value(Triangles(), text, new Scope(("thr", 0.5))), 1e-12, 1e-15, text);
    }

    [Fact]
    public void Sine_rms_average_and_extremes_match_closed_forms()
    {
        const double a = 1.7;
        var s = new SyntheticVectors("tran", "time", SyntheticVectors.Linear(0, 1, 128)).Add("v(s)", t => a * Math.Sin(2 * Math.PI * t));

        // Simpson on 128 steps of a period: quadrature error ~1e-8 relative, far below the 1e-6 checked.
        Tolerance.Close(a / Math.Sqrt(2), Value(s, "rms v(s)"), 1e-6, 0, "rms");
        Tolerance.Close(0, Value(s, "avg v(s)"), 0, 1e-12, "avg");
        // Simpson 3/8 panels plus one 1/3 panel are not symmetric over the period: a quadrature error of ~5e-11.
        Tolerance.Close(0, Value(s, "integ v(s)"), 0, 1e-9, "integ");
        Tolerance.Close(a, Value(s, "max v(s)"), 1e-15, 0, "max");
        Tolerance.Close(-a, Value(s, "min v(s)"), 1e-15, 0, "min");
        Tolerance.Close(2 * a, Value(s, "pp v(s)"), 1e-15, 0, "pp");
        Tolerance.Close(0.25, Value(s, "max_at v(s)"), 1e-15, 0, "max_at");
        Tolerance.Close(0.75, Value(s, "min_at v(s)"), 1e-15, 0, "min_at");

        // The half-period crossing and the slope there, 2πA·cos(π), to the interpolation's O(h²) accuracy.
        Tolerance.Close(0.5, Value(s, "when v(s)=0 fall=1"), 0, 1e-12, "when");
        Tolerance.Close(-2 * Math.PI * a, Value(s, "deriv v(s) when v(s)=0 fall=1"), 1e-3, 0, "deriv");
    }

    [Fact]
    public void Ac_parts_of_a_one_pole_response()
    {
        const double fc = 1e3;
        var ac = new SyntheticVectors("ac", "frequency", SyntheticVectors.Decades(10, 1e6, 50))
            .Add("v(out)", f => 1 / new Complex(1, f / fc))
            .Add("v(in)", _ => Complex.One)
            .Add("v(lg)", f => new Complex(Math.Log10(f), 0));

        // f = 1 kHz is a grid point: |H| = 1/√2, phase -π/4.
        Tolerance.Close(20 * Math.Log10(Math.Sqrt(0.5)), Value(ac, "find vdb(out) at=1k"), 1e-12, 0, "vdb");
        Tolerance.Close(20 * Math.Log10(Math.Sqrt(0.5)), Value(ac, "find db(v(out)) at=1k"), 1e-12, 0, "db()");
        Tolerance.Close(-Math.PI / 4, Value(ac, "find vp(out) at=1k"), 1e-12, 0, "vp radians");
        Tolerance.Close(-Math.PI / 4, Value(ac, "find ph(v(out)) at=1k"), 1e-12, 0, "ph()");
        Tolerance.Close(-45, Value(ac, "find vp(out) at=1k", options: new MeasureOptions { PhaseInDegrees = true }), 1e-12, 0, "vp degrees");
        Tolerance.Close(Math.Sqrt(0.5), Value(ac, "find vm(out) at=1k"), 1e-12, 0, "vm");
        Tolerance.Close(Math.Sqrt(0.5), Value(ac, "find mag(v(out)) at=1k"), 1e-12, 0, "mag()");
        Tolerance.Close(0.5, Value(ac, "find vr(out) at=1k"), 1e-12, 0, "vr");
        Tolerance.Close(0.5, Value(ac, "find v(out) at=1k"), 1e-12, 0, "v() is the real part, as in ngspice");
        Tolerance.Close(0.5, Value(ac, "find real(v(out)) at=1k"), 1e-12, 0, "real()");
        Tolerance.Close(-0.5, Value(ac, "find vi(out) at=1k"), 1e-12, 0, "vi");
        Tolerance.Close(-0.5, Value(ac, "find imag(v(out)) at=1k"), 1e-12, 0, "imag()");

        // v(in)-v(out) = jf/fc/(1+jf/fc): magnitude 1/√2 at fc too.
        Tolerance.Close(Math.Sqrt(0.5), Value(ac, "find vm(in,out) at=1k"), 1e-12, 0, "vm(in,out)");

        // Interpolation is linear in frequency, not in log frequency (ngspice): log10 f = 2.45 lies between the grid
        // points 10^2.44 and 10^2.46, so the crossing is their arithmetic mean, not 10^2.45.
        double f1 = 10 * Math.Pow(10, 72 / 50.0), f2 = 10 * Math.Pow(10, 73 / 50.0);
        Tolerance.Close(0.5 * (f1 + f2), Value(ac, "when v(lg)=2.45"), 1e-12, 0, "linear in f");
    }

    [Fact]
    public void Dc_sweeps_may_run_downwards_and_restart_for_an_outer_sweep()
    {
        var down = new SyntheticVectors("dc", "v-sweep", SyntheticVectors.Linear(1.8, 0, 18)).Add("v(out)", v => 3 * v);
        Tolerance.Close(2.7, Value(down, "find v(out) at=0.9"), 1e-12, 0, "descending find");
        var tranDown = new SyntheticVectors("tran", "time", SyntheticVectors.Linear(1.8, 0, 18)).Add("v(out)", v => 3 * v);
        Assert.False(Measure(tranDown, "find v(out) at=0.9").Succeeded);

        // Two curves of a nested sweep: ngspice re-initialises the crossing search when the scale returns to its
        // first value, so the second curve's rise is rise 2 (without the restart the jump 2 -> 0.5 would be a fall).
        var set = new IndexedVectors(new SyntheticVectors("dc", "v-sweep", [0, 1, 2, 0, 1, 2]), [0, 1, 2, 0.5, 1.5, 2.5]);
        Tolerance.Close(1.2, Value(set, "when v(y)=1.2 rise=1"), 1e-12, 0, "first curve");
        Tolerance.Close(0.7, Value(set, "when v(y)=1.2 rise=2"), 1e-12, 0, "second curve");
        Assert.False(Measure(set, "when v(y)=1.2 fall=1").Succeeded);
    }

    [Fact]
    public void Ngspice_quirks_on_four_samples_match_ngspice()
    {
        // ngspice 39.3 on '.dc v1 0 3 1' with out = pwl(in: 0,0 1,1 2,1 3,0) printed: when=2.5 (the rise between
        // the first two samples is counted but not measured), rise=1 -> -inf (reported failed here), fall=1 -> 2.5,
        // find at=0.25 -> 0.25, avg -> 0.6666667, integ -> 2.25 (Simpson 3/8 over the three equal steps), rms ->
        // sqrt(0.75).
        var set = new IndexedVectors(new SyntheticVectors("dc", "v-sweep", [0, 1, 2, 3]), [0, 1, 1, 0]);
        Tolerance.Close(2.5, Value(set, "when v(y)=0.5"), 1e-15, 0, "when");
        MeasureResult rise = Measure(set, "when v(y)=0.5 rise=1");
        Assert.False(rise.Succeeded);
        Assert.Contains("Infinity", rise.Reason, StringComparison.Ordinal);
        Tolerance.Close(2.5, Value(set, "when v(y)=0.5 fall=1"), 1e-15, 0, "fall");
        Tolerance.Close(0.25, Value(set, "find v(y) at=0.25"), 1e-15, 0, "find");
        Tolerance.Close(2.0 / 3.0, Value(set, "avg v(y)"), 1e-15, 0, "avg");
        Tolerance.Close(2.25, Value(set, "integ v(y)"), 1e-15, 0, "integ");
        Tolerance.Close(Math.Sqrt(0.75), Value(set, "rms v(y)"), 1e-15, 0, "rms");
    }

    [Fact]
    public void Failures_are_results_with_reasons()
    {
        SyntheticVectors ramp = Ramp();
        (string Text, string Reason)[] cases =
        [
            ("find v(nope) at=0.5", "no such vector as 'v(nope)'"),
            ("find v(out) at=2", "out of interval"),
            ("when v(out)=5", "never met"),
            ("when v(out)=0.5 rise=2", "never met"),
            ("trig v(out) val=0.5 rise=1 targ v(out) val=9 rise=1", "targ"),
            ("avg v(out) from=2 to=3", "no samples"),
            ("max v(out) from=0.6 to=0.5", "no samples"),
            ("integ v(out) from=5", "no samples"),
            ("when v(out)=zzz", "neither a parameter nor a vector"),
            ("find v(out) at='undefined_p*2'", "undefined_p"),
            ("deriv v(out) at=-1", "out of interval"),
        ];
        foreach ((string text, string reason) in cases)
        {
            MeasureResult r = Measure(ramp, text);
            Assert.Equal(MeasureStatus.Failed, r.Status);
            Assert.True(double.IsNaN(r.Value));
            Assert.Contains(reason, r.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Param_measures_use_earlier_results_and_parameters_and_fail_with_their_inputs()
    {
        var statements = new List<MeasureStatement>
        {
            new("tran", "t1", "when v(out)=0.5", Here),
            new("tran", "p1", "param='t1*k+1'", Here),
            new("tran", "p0", "param = 'p1*2'", Here),
            new("tran", "pbad", "param='later*2'", Here),
            new("tran", "later", "param='1'", Here),
            new("tran", "never", "when v(out)=9", Here),
            new("tran", "pnever", "param='never+1'", Here),
            new("ac", "gain", "find vdb(out) at=1k", Here),
            new("tran", "pac", "param='gain*2'", Here),
        };
        var set = new MeasureSet(statements);
        MeasureResults r = set.Evaluate([Ramp()], new Scope(("k", 4)));
        Tolerance.Close(0.25, r["t1"].Value, 1e-15, 0);
        Tolerance.Close(2, r["p1"].Value, 1e-15, 0);
        Tolerance.Close(4, r["P0"].Value, 1e-15, 0);
        Assert.Equal(MeasureStatus.Failed, r["pbad"].Status);
        Assert.True(r["later"].Succeeded);
        Assert.Equal(MeasureStatus.Failed, r["never"].Status);
        Assert.Equal(MeasureStatus.Failed, r["pnever"].Status);
        Assert.Equal(MeasureStatus.NotRun, r["gain"].Status);
        Assert.Equal(MeasureStatus.Failed, r["pac"].Status);
        Assert.Equal(statements.Count, r.Count);
        Assert.Equal(4, r.FailedCount);
        Assert.True(r.TryGetValue("p1", out double p1) && p1 == 2);
        Assert.False(r.TryGetValue("never", out _));
        Assert.Throws<KeyNotFoundException>(() => r["nosuch"]);
    }

    [Fact]
    public void Levels_may_use_earlier_measures_as_parameters()
    {
        // HSPICE-style settling levels: 90 % of the measured peak. ngspice 39 cannot (its numbers are substituted
        // before the simulation); here every successful measure is a parameter for the statements after it.
        var statements = new List<MeasureStatement>
        {
            new("tran", "peak", "max v(out)", Here),
            new("tran", "t90", "when v(out)='0.9*peak'", Here),
            new("tran", "early", "when v(out)='0.5*later'", Here),
            new("tran", "later", "max v(a)", Here),
        };
        MeasureResults r = new MeasureSet(statements).Evaluate([Ramp()]);
        Tolerance.Close(0.9, r["t90"].Value, 1e-12, 0, "0.9 * 2 V on a 2 V/s ramp");
        Assert.Equal(MeasureStatus.Failed, r["early"].Status);
        Assert.Contains("later", r["early"].Reason, StringComparison.Ordinal);
    }

    /// <summary>A synthetic set whose single vector v(y) is given sample by sample.</summary>
    private sealed class IndexedVectors(SyntheticVectors shape, double[] y) : IVectorSet
    {
        public string AnalysisKind => shape.AnalysisKind;

        public string ScaleName => shape.ScaleName;

        public IReadOnlyList<double> Scale => shape.Scale;

        public bool IsComplex => false;

        public IReadOnlyList<string> VectorNames => ["v(y)"];

        public bool TryGetVector(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyList<Complex>? values)
        {
            values = name == "v(y)" ? [.. y.Select(v => new Complex(v, 0))] : null;
            return values is not null;
        }
    }
}
