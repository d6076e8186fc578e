using System.Numerics;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Netlists;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>AC and noise of an m=3 MOSFET equal those of three devices in parallel (capacitances, RD/RS, flicker with AF=1).</summary>
public sealed class SmallSignalEquivalenceTests
{
    private const string Models = """
        .model nm nmos level=1 vto=0.5 kp=100u gamma=0.4 phi=0.7 lambda=0.05 rd=10 rs=10 tox=10n cgso=2e-10 cgdo=2e-10
        + cgbo=1e-11 cj=4e-4 cjsw=2e-10 kf=1e-25 af=1
        .options reltol=1e-10 vntol=1e-12 abstol=1e-16 gmin=0
        """;

    private static readonly FrequencySweep Sweep = new(FrequencySweepKind.Decade, 5, 10, 1e10);

    [Fact]
    public void Mosfet_m3_equals_three_in_parallel_in_ac_and_noise()
    {
        const string Size = "w=10u l=1u ad=20p as=20p pd=24u ps=24u";
        Circuit one = Circuit.Parse($"a\nvdd vdd 0 3\nrl vdd d 2k\nvg g 0 dc 1.2 ac 1\nrg g gi 1k\nm1 d gi 0 0 nm {Size} m=3\ncl d 0 100f\n{Models}\n.end\n");
        Circuit three = Circuit.Parse($"b\nvdd vdd 0 3\nrl vdd d 2k\nvg g 0 dc 1.2 ac 1\nrg g gi 1k\nm1 d gi 0 0 nm {Size}\nm2 d gi 0 0 nm {Size}\nm3 d gi 0 0 nm {Size}\ncl d 0 100f\n{Models}\n.end\n");
        Complex[] a = one.Ac(Sweep).Get("v(d)");
        Complex[] b = three.Ac(Sweep).Get("v(d)");
        Assert.Equal(b.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Complex.Abs(a[i] - b[i]) <= 1e-8 * Complex.Abs(b[i]), $"point {i}: {a[i]} vs {b[i]}");
        }

        NoiseResult na = one.Noise("d", null, "vg", Sweep);
        NoiseResult nb = three.Noise("d", null, "vg", Sweep);
        Tolerance.AllClose([.. nb.OutputSpectrum], [.. na.OutputSpectrum], 1e-8, 0, "onoise");
        Tolerance.AllClose([.. nb.InputSpectrum], [.. na.InputSpectrum], 1e-8, 0, "inoise");
        Tolerance.Close(nb.OutputNoiseTotal, na.OutputNoiseTotal, 1e-7, 0, "onoise_total (ngspice's power-law integral loses digits where a flicker slope is -1 to within ~1e-9, AF = 1 here)");
    }
}
