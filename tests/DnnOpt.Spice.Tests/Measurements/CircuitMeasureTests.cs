using System.Numerics;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Measurements;

namespace DnnOpt.Spice.Tests.Measurements;

/// <summary>Measures over a real DC sweep through <see cref="Circuit.Measure"/>: a divider has closed-form answers.</summary>
public sealed class CircuitMeasureTests
{
    private const string Divider = """
        divider sweep
        .param rtop=1k
        v1 in 0 0
        r1 in mid {rtop}
        r2 mid 0 1k
        .dc v1 0 10 0.5
        .meas dc vmid find v(mid) at=5.25
        .meas dc vin_at when v(mid)=3
        .meas dc cur max i(v1)
        .meas dc area integ v(mid) from=1 to=9
        .meas dc ratio param='vmid/5.25'
        .meas dc d deriv v(in,mid) at=2
        .meas ac gain find vdb(mid) at=1k
        .end
        """;

    [Fact]
    public void Divider_measures_follow_the_resistor_ratio_for_each_design()
    {
        Circuit c = Circuit.Parse(Divider, "divider.cir");
        MeasureResults r = c.Measure(c.RunAnalyses());
        Tolerance.Close(2.625, r["vmid"].Value, 1e-12, 0, "find");
        Tolerance.Close(6, r["vin_at"].Value, 1e-12, 0, "when");
        Tolerance.Close(0, r["cur"].Value, 0, 1e-15, "max of i(v1) = -v1/2k is at v1 = 0");
        Tolerance.Close((81 - 1) / 4.0, r["area"].Value, 1e-12, 0, "integ of v/2 from 1 to 9");
        Tolerance.Close(0.5, r["ratio"].Value, 1e-12, 0, "param");
        Tolerance.Close(0.5, r["d"].Value, 1e-12, 0, "deriv of v(in,mid)");
        Assert.Equal(MeasureStatus.NotRun, r["gain"].Status);

        // A new design: rtop = 3k gives v(mid) = v1/4 (at most 2.5 V, so 'when v(mid)=3' now fails); the parsed
        // measures are reused.
        c.SetParameter("rtop", 3e3);
        r = c.Measure(c.RunAnalyses());
        Tolerance.Close(5.25 / 4, r["vmid"].Value, 1e-12, 0, "find, second design");
        Assert.Equal(MeasureStatus.Failed, r["vin_at"].Status);
        Assert.Contains("never met", r["vin_at"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Dc_sweep_is_a_vector_set_named_as_ngspice_names_it()
    {
        Circuit c = Circuit.Parse(Divider, "divider.cir");
        var dc = (DcSweepResult)c.RunAnalyses()[0];
        CheckVectorSet(dc, dc);
    }

#pragma warning disable CA1859 // The point is to read the sweep through the interface the measure layer uses.
    private static void CheckVectorSet(IVectorSet set, DcSweepResult dc)
#pragma warning restore CA1859
    {
        Assert.Equal("dc", set.AnalysisKind);
        Assert.Equal("v-sweep", set.ScaleName);
        Assert.False(set.IsComplex);
        Assert.Equal(21, set.Scale.Count);
        Assert.Equal(10, set.Scale[^1]);
        Assert.Equal(["v(in)", "v(mid)", "i(v1)"], set.VectorNames);
        Assert.True(set.TryGetVector("V(MID)", out IReadOnlyList<Complex>? mid));
        Assert.Equal(dc.Get("v(mid)"), mid.Select(z => z.Real));
        Assert.True(set.TryGetVector("i(v1)", out IReadOnlyList<Complex>? i));
        Assert.Equal(dc.Get("i(v1)"), i.Select(z => z.Real));
        Assert.False(set.TryGetVector("v(nope)", out _));
        Assert.False(set.TryGetVector("i(r1)", out _));
    }

    [Fact]
    public void Rc_low_pass_corner_phase_and_rise_time_match_closed_forms()
    {
        // R = 1k, C = 1u: fc = 1/(2 pi RC); the -3 dB point is at fc*sqrt(10^0.3 - 1), the phase there is -atan of
        // that ratio; the 10-90 % rise time of the step response is RC ln 9. Linear interpolation on 100 points per
        // decade and the transient's own steps stay within 1e-4 of these.
        const string ac = """
            rc
            v1 in 0 dc 0 ac 1
            r1 in out 1k
            c1 out 0 1u
            .ac dec 100 1 100k
            .meas ac f3 when vdb(out)=-3
            .meas ac ph find vp(out) when vdb(out)=-3
            .meas ac g1k find vm(out) at=1k
            .end
            """;
        const string tran = """
            rc
            v1 in 0 pulse(0 1 10u 1n 1n 20m 40m)
            r1 in out 1k
            c1 out 0 1u
            .tran 1u 8m
            .meas tran tr trig v(out) val=0.1 rise=1 targ v(out) val=0.9 rise=1
            .meas tran v1ms find v(out) at=1.01m
            .end
            """;
        double fc = 1 / (2 * Math.PI * 1e3 * 1e-6);
        double ratio = Math.Sqrt(Math.Pow(10, 0.3) - 1);
        Circuit a = Circuit.Parse(ac, "rc_ac.cir");
        MeasureResults m = a.Measure(a.RunAnalyses());
        Tolerance.Close(fc * ratio, m["f3"].Value, 1e-4, 0, "f-3dB");
        Tolerance.Close(-Math.Atan(ratio), m["ph"].Value, 1e-4, 0, "phase at f-3dB (radians)");
        Tolerance.Close(1 / Math.Sqrt(1 + Math.Pow(1e3 / fc, 2)), m["g1k"].Value, 1e-9, 0, "|H(1 kHz)| on a grid point");
        a.MeasureOptions = new MeasureOptions { PhaseInDegrees = true };
        Tolerance.Close(-Math.Atan(ratio) * 180 / Math.PI, a.Measure(a.RunAnalyses())["ph"].Value, 1e-4, 0, "phase in degrees");

        Circuit t = Circuit.Parse(tran, "rc_tran.cir");
        m = t.Measure(t.RunAnalyses());
        Tolerance.Close(1e-3 * Math.Log(9), m["tr"].Value, 1e-4, 0, "10-90 % rise time");
        Tolerance.Close(1 - Math.Exp(-1), m["v1ms"].Value, 1e-4, 0, "v(out) one time constant after the step");
    }

    [Fact]
    public void Noise_measures_read_the_spectra_and_param_measures_the_totals()
    {
        // Flat 4kTR of a 10k resistor fed by a current source (no pole): every sample equals the closed form, the
        // total is 4kTR (f2 - f1); input-referred to the current source, 4kT/R.
        const string deck = """
            flat noise
            i1 0 a dc 0 ac 1
            r1 a 0 10k
            .noise v(a) i1 lin 11 1k 2k
            .meas noise n15 find onoise_spectrum at=1.55k
            .meas noise nmax max onoise_spectrum
            .meas noise navg avg inoise_spectrum
            .meas noise tot param='onoise_total'
            .meas noise itot param='inoise_total*1e12'
            .end
            """;
        const double k = 1.38064852e-23, t = 300.15;
        Circuit c = Circuit.Parse(deck, "noise.cir");
        MeasureResults m = c.Measure(c.RunAnalyses());
        Tolerance.Close(Math.Sqrt(4 * k * t * 1e4), m["n15"].Value, 1e-12, 0, "find onoise_spectrum");
        Tolerance.Close(Math.Sqrt(4 * k * t * 1e4), m["nmax"].Value, 1e-12, 0, "max onoise_spectrum");
        Tolerance.Close(Math.Sqrt(4 * k * t / 1e4), m["navg"].Value, 1e-12, 0, "avg inoise_spectrum");
        Tolerance.Close(Math.Sqrt(4 * k * t * 1e4 * 1e3), m["tot"].Value, 1e-12, 0, "onoise_total");
        Tolerance.Close(Math.Sqrt(4 * k * t / 1e4 * 1e3) * 1e12, m["itot"].Value, 1e-12, 0, "inoise_total");
    }
}
