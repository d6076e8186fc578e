using DnnOpt.Optimization.ActorCritic;

namespace DnnOpt.Optimization.Tests.ActorCritic;

public sealed class FomGradientTests
{
    private static readonly float[] Mean = [0.3f, -0.2f, 0.1f];
    private static readonly float[] Scale = [1.5f, 0.8f, 2.0f];

    [Fact]
    public void Value_is_eq4_on_the_expanded_outputs()
    {
        float[] q = [0.2f, 0.1f, -0.4f, -1.0f, 0.9f, 0.3f];
        double[] g = new double[2];
        FomGradient.Evaluate(q, 2, Mean, Scale, 1f, 0, false, g, []);
        var fom = new FigureOfMerit(new MetricInfo("f0"), [new MetricInfo("c1"), new MetricInfo("c2")]);
        for (int r = 0; r < 2; r++)
        {
            double[] y = Enumerable.Range(0, 3).Select(l => CriticModel.Expand((q[(r * 3) + l] * Scale[l]) + Mean[l], out _)).ToArray();
            Tolerance.Close(fom.Evaluate(y[0], y.AsSpan(1)), g[r], 1e-12, 1e-12, $"g row {r}");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void Gradient_matches_finite_differences_away_from_the_clips(double tail)
    {
        // Row values chosen so each constraint is inside (0, 1), above 1 or below 0 after expansion.
        double[] q = [0.2, 0.6, -0.1, -0.5, 2.0, -0.7];
        float[] gradient = new float[6];
        FomGradient.Evaluate(q.Select(v => (float)v).ToArray(), 2, Mean, Scale, 0.5f, tail, false, [], gradient);
        const double h = 1e-3;
        for (int i = 0; i < q.Length; i++)
        {
            double Sum(double delta)
            {
                float[] moved = q.Select(v => (float)v).ToArray();
                moved[i] = (float)(q[i] + delta);
                return 0.5 * FomGradient.Evaluate(moved, 2, Mean, Scale, 1f, tail, false, [], []);
            }

            double fd = (Sum(h) - Sum(-h)) / (2 * h);
            Tolerance.Close(fd, gradient[i], 1e-3, 1e-5, $"dg/dq[{i}]");
        }

        // The met constraint (below 0) is flat either way; the one missed by more than its scale (q = 2.0, column 1
        // of row 1) is flat only under eq. 4's hard clip.
        Assert.Equal(0f, gradient[5]);
        Assert.Equal(tail == 0, gradient[4] == 0f);
        Assert.NotEqual(0f, gradient[1]);
    }

    [Fact]
    public void Without_infeasible_credit_a_design_that_misses_a_spec_gets_no_objective_gain()
    {
        // Row 0: objective better than the best feasible (y0 < 0), constraint 1 missed: g is the miss alone and y0
        // gets no gradient. Row 1: the same y0, every constraint met: g = y0. Row 2: y0 > 0 and the miss: g = y0 + miss.
        float[] q = [-1f, 0.6f, -0.5f, -1f, -0.5f, -0.5f, 0.5f, 0.6f, -0.5f];
        double Y(int r, int l) => CriticModel.Expand((q[(r * 3) + l] * Scale[l]) + Mean[l], out _);
        Assert.True(Y(0, 0) < 0 && Y(0, 1) is > 0 and < 1 && Y(0, 2) < 0 && Y(1, 1) < 0 && Y(2, 0) > 0);

        double[] with = new double[3];
        double[] without = new double[3];
        float[] gradient = new float[9];
        FomGradient.Evaluate(q, 3, Mean, Scale, 1f, 0.1, false, with, []);
        FomGradient.Evaluate(q, 3, Mean, Scale, 1f, 0.1, true, without, gradient);
        Tolerance.Close(Y(0, 0) + Y(0, 1), with[0], 1e-12, 1e-12, "eq. 4, row 0");
        Tolerance.Close(Y(0, 1), without[0], 1e-12, 1e-12, "no credit, row 0");
        Assert.Equal(0f, gradient[0]);
        Assert.NotEqual(0f, gradient[1]);
        Assert.Equal(with[1], without[1]);
        Tolerance.Close(Y(1, 0), without[1], 1e-12, 1e-12, "met, row 1");
        Assert.NotEqual(0f, gradient[3]);
        Assert.Equal(with[2], without[2]);
        Assert.NotEqual(0f, gradient[6]);

        // Away from the switch the gradient is still that of the value.
        const double h = 1e-3;
        for (int i = 0; i < q.Length; i++)
        {
            double Sum(double delta)
            {
                float[] moved = (float[])q.Clone();
                moved[i] = (float)(q[i] + delta);
                return FomGradient.Evaluate(moved, 3, Mean, Scale, 1f, 0.1, true, [], []);
            }

            Tolerance.Close((Sum(h) - Sum(-h)) / (2 * h), gradient[i], 1e-3, 1e-5, $"dg/dq[{i}]");
        }
    }

    [Fact]
    public void Shape_is_eq4_below_the_clip_and_a_continuous_log_tail_above()
    {
        Assert.Equal(0, FomGradient.Shape(-3, 0.1, out double d0));
        Assert.Equal(0, d0);
        Assert.Equal(0.4, FomGradient.Shape(0.4, 0.1, out double d1));
        Assert.Equal(1, d1);
        Assert.Equal(1, FomGradient.Shape(50, 0, out double flat));
        Assert.Equal(0, flat);
        Tolerance.Close(1 + (0.1 * Math.Log(50)), FomGradient.Shape(50, 0.1, out double slope), 1e-15, 0, "h(50)");
        Tolerance.Close(0.1 / 50, slope, 1e-15, 0, "h'(50)");
        // Continuous at 1 from both sides.
        Tolerance.Close(FomGradient.Shape(1 - 1e-12, 0.3, out _), FomGradient.Shape(1 + 1e-12, 0.3, out _), 1e-11, 0, "h(1)");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(-2.5)]
    [InlineData(40.0)]
    public void Compression_round_trips(double y)
    {
        float t = CriticModel.Compress((float)y);
        Tolerance.Close(y, CriticModel.Expand(t, out double slope), 1e-6, 1e-7, "expand(compress(y))");
        Assert.True(slope >= 1);
    }
}
