using System.Numerics;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Netlists;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>Noise analysis against closed forms: 4kTR of a resistor network, kT/C of an RC, input referral by the gain.</summary>
public sealed class NoiseTests
{
    private const double K = 1.38064852e-23;
    private const double T = 300.15;

    [Fact]
    public void Divider_output_density_is_4ktr_of_the_parallel_resistance_shaped_by_the_pole()
    {
        // R1 = 1k, R2 = 3k, C = 1n at the output: S(f) = 4kT (R1||R2) / (1 + (f/fp)^2), gain from v1 = R2/(R1+R2) H.
        Circuit c = Circuit.Parse("div\nv1 in 0 dc 1 ac 1\nr1 in out 1k\nr2 out 0 3k\nc1 out 0 1n\n.end\n");
        NoiseResult r = c.Noise("out", null, "v1", new FrequencySweep(FrequencySweepKind.Decade, 10, 1, 1e8));
        Assert.True(r.Converged);
        const double rp = 750;
        double fp = 1 / (2 * Math.PI * rp * 1e-9);
        for (int i = 0; i < r.Count; i++)
        {
            double f = r.Frequencies[i];
            double h2 = 1 / (1 + (f / fp * (f / fp)));
            Tolerance.Close(Math.Sqrt(4 * K * T * rp * h2), r.OutputSpectrum[i], 1e-12, 0, $"onoise at {f}");

            // Gain from the input: 3/4 H(f); the input-referred density is the output density over |gain|.
            Tolerance.Close(Math.Sqrt(4 * K * T * rp * h2) / (0.75 * Math.Sqrt(h2)), r.InputSpectrum[i], 1e-12, 0, $"inoise at {f}");
        }

        // ∫ 4kTR/(1+(f/fp)²) df from 1 Hz to 100 MHz = 4kTR fp (atan(1e8/fp) - atan(1/fp)) → close to kT/C.
        double exact = 4 * K * T * rp * fp * (Math.Atan(1e8 / fp) - Math.Atan(1 / fp));
        Tolerance.Close(Math.Sqrt(exact), r.OutputNoiseTotal, 5e-3, 0, "onoise_total vs the exact integral (piecewise power law, 10 points per decade)");
        Tolerance.Close(Math.Sqrt(K * T / 1e-9), r.OutputNoiseTotal, 1e-2, 0, "onoise_total vs kT/C");
    }

    [Fact]
    public void Flat_spectrum_integrates_exactly()
    {
        // A single resistor driven by a current source: flat 4kTR at the node; the total is 4kTR (f2 - f1).
        Circuit c = Circuit.Parse("r\ni1 0 a dc 0 ac 1\nr1 a 0 10k\n.end\n");
        NoiseResult r = c.Noise("a", null, "i1", new FrequencySweep(FrequencySweepKind.Linear, 11, 1e3, 2e3));
        Tolerance.Close(Math.Sqrt(4 * K * T * 1e4 * 1e3), r.OutputNoiseTotal, 1e-12);

        // Input-referred to a current source: A/√Hz, 4kT/R.
        Tolerance.Close(Math.Sqrt(4 * K * T / 1e4), r.InputSpectrum[0], 1e-12);
    }

    [Fact]
    public void Deck_noise_line_runs_as_a_vector_set_and_bad_sources_are_parse_errors()
    {
        Circuit c = Circuit.Parse("div\nv1 in 0 ac 1\nr1 in out 1k\nr2 out 0 1k\n.noise v(out) v1 oct 2 100 1k\n.end\n");
#pragma warning disable CA1859 // Read through the interface .measure and the raw writer use.
        IVectorSet set = Assert.IsType<NoiseResult>(Assert.Single(c.RunAnalyses()));
#pragma warning restore CA1859
        Assert.Equal("noise", set.AnalysisKind);
        Assert.False(set.IsComplex);
        Assert.True(set.TryGetVector("onoise_spectrum", out IReadOnlyList<Complex>? on));
        Assert.Equal(set.Scale.Count, on!.Count);
        Tolerance.Close(Math.Sqrt(4 * K * T * 500), on[0].Real, 1e-12);

        var noAc = Circuit.Parse("x\nv1 in 0 dc 1\nr1 in out 1k\nr2 out 0 1k\n.noise v(out) v1 dec 1 1 10\n.end\n", "noac.cir");
        var e = Assert.Throws<Spice.Parsing.SpiceParseException>(() => noAc.RunAnalyses());
        Assert.Contains("no AC value", e.Message, StringComparison.Ordinal);
        Assert.Contains("noac.cir", e.Message, StringComparison.Ordinal);
        Assert.Throws<Spice.Parsing.SpiceParseException>(() => Circuit.Parse("x\nv1 in 0 ac 1\nr1 in out 1k\nr2 out 0 1k\n.noise v(out) r1 dec 1 1 10\n.end\n"));
        var summary = Circuit.Parse("x\nv1 in 0 ac 1\nr1 in out 1k\nr2 out 0 1k\n.noise v(out) v1 dec 1 1 10 1\n.end\n");
        Assert.Contains("pts_per_summary", Assert.Throws<Spice.Parsing.SpiceParseException>(() => summary.RunAnalyses()).Message, StringComparison.Ordinal);
        var missing = Circuit.Parse("x\nv1 in 0 ac 1\nr1 in out 1k\nr2 out 0 1k\n.noise v(out) v9 dec 1 1 10\n.end\n");
        Assert.Throws<Spice.Parsing.SpiceParseException>(() => missing.RunAnalyses());
    }

    [Fact]
    public void Single_frequency_has_no_totals_as_in_ngspice()
    {
        Circuit c = Circuit.Parse("r\ni1 0 a ac 1\nr1 a 0 1k\n.end\n");
        NoiseResult r = c.Noise("a", "0", "i1", new FrequencySweep(FrequencySweepKind.Decade, 10, 1e3, 1e3));
        Assert.Equal(1, r.Count);
        Assert.True(double.IsNaN(r.OutputNoiseTotal));
    }
}
