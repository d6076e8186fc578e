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
        FomGradient.Evaluate(q, 2, Mean, Scale, 1f, 0, g, []);
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
        FomGradient.Evaluate(q.Select(v => (float)v).ToArray(), 2, Mean, Scale, 0.5f, tail, [], gradient);
        const double h = 1e-3;
        for (int i = 0; i < q.Length; i++)
        {
            double Sum(double delta)
            {
                float[] moved = q.Select(v => (float)v).ToArray();
                moved[i] = (float)(q[i] + delta);
                return 0.5 * FomGradient.Evaluate(moved, 2, Mean, Scale, 1f, tail, [], []);
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
