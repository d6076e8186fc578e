using DnnOpt.Sizing.Problems;

namespace DnnOpt.Sizing.Tests.Problems;

/// <summary>Deck <c>.measure</c> results as problem metrics, end to end, on an RC low-pass with closed forms.</summary>
public sealed class MeasureMetricTests
{
    private const string Ac = """
        rc low-pass, ac
        .param r=1k c=1n
        vin in 0 dc 0 ac 1
        r1 in out {r}
        c1 out 0 {c}
        .ac dec 200 1k 100meg
        .meas ac f3db when vdb(out)=-3.0103
        .meas ac g1k find vdb(out) at=1k
        .end
        """;

    private const string Tran = """
        rc low-pass, step
        .param r=1k c=1n
        vin in 0 pulse(0 1 0 1p 1p 1 2)
        r1 in out {r}
        c1 out 0 {c}
        .tran 10n 20u
        .meas tran t_rise trig v(out) val=0.1 rise=1 targ v(out) val=0.9 rise=1
        .meas tran never when v(out)=2
        .end
        """;

    private const string Problem = """
        name: rc
        decks: [ac.cir, tran.cir]
        variables:
          - { name: r, lower: 100, upper: 100k, scale: log, unit: Ohm }
          - { name: c, lower: 10p, upper: 10n, scale: log, unit: F }
        metrics:
          f3db: { unit: Hz }
          tau_ratio: t_rise/(r*c*log(9))
        objective: { minimize: t_rise, scale: 1u }
        specs:
          - f3db > 100k
        """;

    private static SizingProblemDefinition Load(string problem) =>
        ProblemFile.Parse(problem, "rc.yaml", f => f == "ac.cir" ? Ac : f == "tran.cir" ? Tran : throw new FileNotFoundException(f));

    [Theory]
    [InlineData(1e3, 1e-9)]
    [InlineData(20e3, 150e-12)]
    public void Measures_from_two_decks_become_metrics_and_agree_with_the_closed_forms(double r, double c)
    {
        using CircuitProblem p = CircuitProblem.Create(Load(Problem));
        // Deck measures not listed under metrics come first, in deck order, then the listed metrics.
        Assert.Equal(["g1k", "t_rise", "never", "f3db", "tau_ratio"], p.MetricNames);
        Measurement m = p.Measure([r, c]);

        // 'never' cannot be measured (v(out) never reaches 2 V): a failed evaluation naming the measure, with the
        // metrics measured before it kept.
        Assert.False(m.Evaluation.Succeeded);
        Assert.Contains("measure 'never' failed", m.Evaluation.FailureReason, StringComparison.Ordinal);

        // f3db = 1/(2 pi R C), interpolated between points 200 per decade apart; rise time 10-90 % = RC ln 9 with
        // the simulator's step control (reltol 1e-3, trtol 7).
        Tolerance.Close(1 / (2 * Math.PI * r * c), m["f3db"], 1e-3);
        Tolerance.Close(r * c * Math.Log(9), m["t_rise"], 1e-2);
        double w = 2 * Math.PI * 1e3 * r * c;
        Tolerance.Close(-10 * Math.Log10(1 + (w * w)), m["g1k"], 1e-6, 1e-9);
    }

    [Fact]
    public void A_problem_without_the_failing_measure_is_feasible_when_its_specs_hold()
    {
        string tran = Tran.Replace(".meas tran never when v(out)=2\n", string.Empty, StringComparison.Ordinal);
        SizingProblemDefinition d = ProblemFile.Parse(Problem, "rc.yaml", f => f == "ac.cir" ? Ac : f == "tran.cir" ? tran : throw new FileNotFoundException(f));
        using CircuitProblem p = CircuitProblem.Create(d);
        Measurement fast = p.Measure([1e3, 1e-9]);
        Assert.True(fast.Evaluation.Succeeded, fast.Evaluation.FailureReason);
        Assert.True(fast.Evaluation.IsFeasible);
        Tolerance.Close(1, fast["tau_ratio"], 1e-2);
        Measurement slow = p.Measure([5e3, 1e-9]); // f3db 31.8 kHz: measured, but below the 100 kHz spec
        Assert.True(slow.Evaluation.Succeeded, slow.Evaluation.FailureReason);
        Assert.False(slow.Evaluation.IsFeasible);

        // A time constant far beyond the 20 us transient: the rise time cannot be measured, so the design fails.
        Measurement tooSlow = p.Measure([100e3, 10e-9]);
        Assert.Contains("measure 't_rise' failed", tooSlow.Evaluation.FailureReason, StringComparison.Ordinal);
    }
}
