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
        FomGradient.Evaluate(q, 2, Mean, Scale, 1f, g, []);
        var fom = new FigureOfMerit(new MetricInfo("f0"), [new MetricInfo("c1"), new MetricInfo("c2")]);
        for (int r = 0; r < 2; r++)
        {
            double[] y = Enumerable.Range(0, 3).Select(l => CriticModel.Expand((q[(r * 3) + l] * Scale[l]) + Mean[l], out _)).ToArray();
            Tolerance.Close(fom.Evaluate(y[0], y.AsSpan(1)), g[r], 1e-12, 1e-12, $"g row {r}");
        }
    }

    [Fact]
    public void Gradient_matches_finite_differences_away_from_the_clips()
    {
        // Row values chosen so each constraint is inside (0, 1), above 1 or below 0 after expansion.
        double[] q = [0.2, 0.6, -0.1, -0.5, 2.0, -0.7];
        float[] gradient = new float[6];
        FomGradient.Evaluate(q.Select(v => (float)v).ToArray(), 2, Mean, Scale, 0.5f, [], gradient);
        const double h = 1e-3;
        for (int i = 0; i < q.Length; i++)
        {
            double Sum(double delta)
            {
                float[] moved = q.Select(v => (float)v).ToArray();
                moved[i] = (float)(q[i] + delta);
                return 0.5 * FomGradient.Evaluate(moved, 2, Mean, Scale, 1f, [], []);
            }

            double fd = (Sum(h) - Sum(-h)) / (2 * h);
            Tolerance.Close(fd, gradient[i], 1e-3, 1e-5, $"dg/dq[{i}]");
        }

        Assert.Contains(gradient.Skip(1), v => v == 0f);
        Assert.Contains(gradient.Skip(1), v => v != 0f);
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
