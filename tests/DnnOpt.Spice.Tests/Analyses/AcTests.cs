using System.Numerics;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Netlists;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>AC analysis against closed-form transfer functions and ngspice's frequency grid.</summary>
public sealed class AcTests
{
    [Fact]
    public void Rc_lowpass_is_one_over_one_plus_jwrc()
    {
        Circuit c = Circuit.Parse("rc\nv1 in 0 dc 1 ac 2 30\nr1 in out 1k\nc1 out 0 1u\n.end\n");
        AcResult r = c.Ac(new FrequencySweep(FrequencySweepKind.Decade, 7, 1, 1e6));
        Assert.True(r.Converged);
        Complex[] vout = r.Get("v(out)");
        Complex[] iv = r.Get("i(v1)");
        Complex source = Complex.FromPolarCoordinates(2, 30 * Math.PI / 180);
        for (int p = 0; p < r.Count; p++)
        {
            double w = 2 * Math.PI * r.Frequencies[p];
            Complex h = 1 / (1 + (Complex.ImaginaryOne * w * 1e3 * 1e-6));
            Complex expected = source * h;
            Assert.True(Complex.Abs(vout[p] - expected) <= 1e-12 * Complex.Abs(expected), $"f={r.Frequencies[p]}");

            // The source current flows from n+ through the source: minus the current into the RC.
            Complex i = -(source - expected) / 1e3;
            Assert.True(Complex.Abs(iv[p] - i) <= 1e-12 * Complex.Abs(i), $"i(v1) f={r.Frequencies[p]}");
        }
    }

    [Fact]
    public void Series_rlc_peaks_at_resonance_with_gain_q()
    {
        // Voltage across C of a series RLC driven by 1 V: H = 1 / (1 - w²LC + jwRC).
        Circuit c = Circuit.Parse("rlc\nv1 in 0 ac 1\nr1 in a 10\nl1 a b 1m\nc1 b 0 1u\n.end\n");
        AcResult r = c.Ac(new FrequencySweep(FrequencySweepKind.Linear, 101, 1e3, 1e4));
        Complex[] vb = r.Get("v(b)");
        Complex[] il = r.Get("i(l1)");
        for (int p = 0; p < r.Count; p++)
        {
            double w = 2 * Math.PI * r.Frequencies[p];
            Complex h = 1 / (1 - (w * w * 1e-3 * 1e-6) + (Complex.ImaginaryOne * w * 10 * 1e-6));
            Assert.True(Complex.Abs(vb[p] - h) <= 1e-11 * Complex.Abs(h), $"f={r.Frequencies[p]}");
            Complex i = h * Complex.ImaginaryOne * w * 1e-6;
            Assert.True(Complex.Abs(il[p] - i) <= 1e-11 * Complex.Abs(i), $"i(l1) f={r.Frequencies[p]}");
        }

        // Q = sqrt(L/C)/R = 3.162 at f0 = 1/(2 pi sqrt(LC)).
        double f0 = 1 / (2 * Math.PI * Math.Sqrt(1e-9));
        Complex atF0 = c.Ac(new FrequencySweep(FrequencySweepKind.Linear, 1, f0, f0)).Get("v(b)")[0];
        Tolerance.Close(Math.Sqrt(1e-3 / 1e-6) / 10, atF0.Magnitude, 1e-12);
    }

    [Fact]
    public void New_sizes_keep_the_complex_lu_order_and_give_a_fresh_circuits_answer()
    {
        string deck = File.ReadAllText(ReferenceData.DeckPath("ota5t_ac"))
            .Replace("m2 out inp tail 0 nch w=10u", "m2 out inp tail 0 nch w={w2}", StringComparison.Ordinal)
            .Replace(".ac dec 20 1 1g", ".param w2=10u\n.ac dec 20 1 1g", StringComparison.Ordinal);
        var sweep = new FrequencySweep(FrequencySweepKind.Decade, 20, 1, 1e9);
        Circuit c = Circuit.Parse(deck);
        Assert.True(c.Ac(sweep).Converged);
        int real = c.LuOrderings;
        int complex = c.ComplexLuOrderings;
        var lowFrequencyGains = new HashSet<double>();
        foreach (double w in new[] { 12e-6, 7e-6, 20e-6 })
        {
            c.SetParameter("w2", w);
            Complex[] got = c.Ac(sweep).Get("v(out)");
            Circuit fresh = Circuit.Parse(deck);
            fresh.SetParameter("w2", w);
            Complex[] want = fresh.Ac(sweep).Get("v(out)");
            lowFrequencyGains.Add(want[0].Magnitude);
            for (int p = 0; p < got.Length; p++)
            {
                Assert.True(Complex.Abs(got[p] - want[p]) <= 1e-9 * Complex.Abs(want[p]), $"w2={w} point {p}");
            }
        }

        Assert.Equal(3, lowFrequencyGains.Count);
        Assert.Equal(real, c.LuOrderings);
        Assert.Equal(complex, c.ComplexLuOrderings);
    }

    [Fact]
    public void Frequencies_are_ngspices_points()
    {
        // What ngspice 39 prints for .ac dec 2 10 1k (wrdata, 17 digits): accumulated multiplication.
        double[] dec = new FrequencySweep(FrequencySweepKind.Decade, 2, 10, 1e3).Frequencies(1e-3);
        Assert.Equal([10, 31.622776601683796, 100.00000000000001, 316.22776601683802, 1000.0000000000003], dec);

        Assert.Equal(21, new FrequencySweep(FrequencySweepKind.Octave, 5, 100, 1600).Frequencies(1e-3).Length);
        Assert.Equal([1, 2.5, 4, 5.5, 7], new FrequencySweep(FrequencySweepKind.Linear, 5, 1, 7).Frequencies(1e-3));

        // ngspice's .ac lin with two points has a zero step and computes fstart only; .noise divides by n - 1.
        Assert.Equal([3.0], new FrequencySweep(FrequencySweepKind.Linear, 2, 3, 9).Frequencies(1e-3));
        Assert.Equal([3.0, 9.0], new FrequencySweep(FrequencySweepKind.Linear, 2, 3, 9).Frequencies(1e-3, noise: true));
        Assert.Throws<ArgumentException>(() => new FrequencySweep(FrequencySweepKind.Decade, 10, 0, 1e3).Frequencies(1e-3));
    }

    [Fact]
    public void Deck_ac_line_runs_and_vector_set_is_complex()
    {
        Circuit c = Circuit.Parse("rc\nv1 in 0 ac 1\nr1 in out 1k\nc1 out 0 1u\n.ac oct 3 10 1k\n.end\n");
#pragma warning disable CA1859 // The point is to read the result through the interface .measure and the raw writer use.
        IVectorSet set = Assert.IsType<AcResult>(Assert.Single(c.RunAnalyses()));
#pragma warning restore CA1859
        Assert.Equal("ac", set.AnalysisKind);
        Assert.Equal("frequency", set.ScaleName);
        Assert.True(set.IsComplex);
        Assert.Contains("v(out)", set.VectorNames);
        Assert.Contains("i(v1)", set.VectorNames);
        Assert.True(set.TryGetVector("v(out)", out IReadOnlyList<Complex>? v));
        Assert.Equal(set.Scale.Count, v!.Count);
        Assert.False(set.TryGetVector("v(nope)", out _));
    }

    [Fact]
    public void Bad_sweep_is_a_parse_error_naming_the_line()
    {
        Circuit c = Circuit.Parse("rc\nv1 in 0 ac 1\nr1 in 0 1k\n.ac dec 10 0 1k\n.end\n", "deck.cir");
        var e = Assert.Throws<Spice.Parsing.SpiceParseException>(() => c.RunAnalyses());
        Assert.Contains("deck.cir", e.Message, StringComparison.Ordinal);
        Assert.Contains("4", e.Message, StringComparison.Ordinal);
    }
}
