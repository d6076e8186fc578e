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
}
