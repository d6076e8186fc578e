using System.Globalization;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;
using Xunit.Abstractions;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>
/// Timing figures of the reference transient decks, measured the same way on both simulators' own time points
/// (linear interpolation of the level crossing): ring-oscillator period and inverter-chain delays within 0.1% of
/// ngspice's (issue #5).
/// </summary>
public sealed class TransientTimingTests(ITestOutputHelper output)
{
    /// <summary>Times at which <paramref name="v"/> crosses <paramref name="level"/> in the given direction.</summary>
    private static List<double> Crossings(IReadOnlyList<double> t, double[] v, double level, bool rising)
    {
        var result = new List<double>();
        for (int i = 1; i < t.Count; i++)
        {
            bool crosses = rising ? v[i - 1] < level && v[i] >= level : v[i - 1] > level && v[i] <= level;
            if (crosses)
            {
                result.Add(t[i - 1] + ((t[i] - t[i - 1]) * (level - v[i - 1]) / (v[i] - v[i - 1])));
            }
        }

        return result;
    }

    private static (ReferenceData.Table Ngspice, TransientResult Ours) Run(string deck)
    {
        string path = ReferenceData.DeckPath(deck);
        var tran = (TransientResult)Circuit.Create(NetlistParser.ParseFile(path)).RunAnalyses()[0];
        Assert.True(tran.Converged, tran.Exit.ToString());
        return (ReferenceData.ReadCsv(Path.ChangeExtension(path, ".csv")), tran);
    }

    [Fact]
    public void Ring_oscillator_period_matches_ngspice_within_a_tenth_of_a_percent()
    {
        (ReferenceData.Table ng, TransientResult ours) = Run("tran_ring");
        List<double> a = Crossings(ng.Column("time"), ng.Column("v(n1)"), 1.65, rising: true);
        List<double> b = Crossings(ours.Time, ours.Get("v(n1)"), 1.65, rising: true);
        Assert.True(a.Count >= 3, $"ngspice shows {a.Count} rising edges");
        Assert.Equal(a.Count, b.Count);

        // Period from the last two edges (the first cycle still carries the start-up transient).
        double periodNg = a[^1] - a[^2];
        double periodOurs = b[^1] - b[^2];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"period: ngspice {periodNg:E6} s, ours {periodOurs:E6} s, relative difference {(periodOurs - periodNg) / periodNg:E2}"));
        Tolerance.Close(periodNg, periodOurs, 1e-3, 0, "ring oscillator period");
    }

    [Fact]
    public void Inverter_chain_delays_match_ngspice_within_a_tenth_of_a_percent()
    {
        (ReferenceData.Table ng, TransientResult ours) = Run("tran_inverter_chain");
        double half = 1.65;
        foreach ((string node, bool rising) in new[] { ("v(n1)", false), ("v(n2)", true), ("v(n3)", false), ("v(n5)", false) })
        {
            // Delay of the first input edge (rising at n0) to this node's 50% crossing, and of the falling input edge.
            double inRise = Crossings(ng.Column("time"), ng.Column("v(n0)"), half, rising: true)[0];
            double inFall = Crossings(ng.Column("time"), ng.Column("v(n0)"), half, rising: false)[0];
            double ngFirst = Crossings(ng.Column("time"), ng.Column(node), half, rising)[0] - inRise;
            double ngSecond = Crossings(ng.Column("time"), ng.Column(node), half, !rising)[0] - inFall;
            double ourFirst = Crossings(ours.Time, ours.Get(node), half, rising)[0] - inRise;
            double ourSecond = Crossings(ours.Time, ours.Get(node), half, !rising)[0] - inFall;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{node}: delays ngspice {ngFirst:E5} / {ngSecond:E5} s, ours {ourFirst:E5} / {ourSecond:E5} s"));
            Tolerance.Close(ngFirst, ourFirst, 1e-3, 0, $"{node} delay after the rising input");
            Tolerance.Close(ngSecond, ourSecond, 1e-3, 0, $"{node} delay after the falling input");
        }
    }
    /// <summary>
    /// Step control and breakpoint handling reproduce ngspice 39.3's time points one for one on a PULSE deck whose
    /// corners fall between TSTEP multiples: the cut onto each corner, the first step after it (a tenth of the
    /// smaller of the pre-corner step and the distance to the next corner), the doubling back to TMAX and the
    /// truncation-error steps across both edges.
    /// </summary>
    [Fact]
    public void Pulse_corner_time_points_are_ngspices()
    {
        (ReferenceData.Table ng, TransientResult ours) = Run("tran_pulse_corners");
        double[] want = ng.Column("time");
        Assert.Equal(want.Length, ours.Count);
        for (int i = 0; i < want.Length; i++)
        {
            // wrdata prints 17 significant digits: equal to the last bit or the next one.
            Tolerance.Close(want[i], ours.Time[i], 1e-15, 1e-30, string.Create(CultureInfo.InvariantCulture, $"time point {i}"));
        }

        // The fall corners are among them (ngspice 39.3 drops them when the rise corner is reached by an uncut step).
        Assert.Contains(ours.Time, t => Math.Abs(t - 2.202e-9) < 1e-18);
        Assert.Contains(ours.Time, t => Math.Abs(t - 2.252e-9) < 1e-18);
    }
}
