using DnnOpt.Neural.Losses;

namespace DnnOpt.Neural.Tests.Losses;

public sealed class WeightedMseTests
{
    [Fact]
    public void Value_matches_paper_eq3_when_unweighted()
    {
        double[] q = [1, 2, 3, 4, 5, 6];
        double[] f = [1.5, 2, 1, 4, 5, 9];
        // (0.25 + 0 + 4 + 0 + 0 + 9) / (2 rows · 3 outputs)
        Tolerance.Close(13.25 / 6, WeightedMse.Evaluate<double>(q, f, [], 3, []), 1e-15, 0);
        Tolerance.Close(((2 * 0.25) + (0.5 * 4) + (0.5 * 9)) / 6, WeightedMse.Evaluate<double>(q, f, [2.0, 1.0, 0.5], 3, []), 1e-15, 0);
    }

    [Fact]
    public void Gradient_matches_finite_differences()
    {
        var rng = new Random(9);
        double[] q = Enumerable.Range(0, 15).Select(_ => rng.NextDouble()).ToArray();
        double[] f = Enumerable.Range(0, 15).Select(_ => rng.NextDouble()).ToArray();
        double[] w = [0.3, 1.7, 1.0];
        double[] g = new double[15];
        WeightedMse.Evaluate<double>(q, f, w, 3, g);
        const double h = 1e-6;
        for (int i = 0; i < q.Length; i++)
        {
            double s = q[i];
            q[i] = s + h;
            double up = WeightedMse.Evaluate<double>(q, f, w, 3, []);
            q[i] = s - h;
            double down = WeightedMse.Evaluate<double>(q, f, w, 3, []);
            q[i] = s;
            Tolerance.Close((up - down) / (2 * h), g[i], 1e-7, 1e-10, $"dL/dq[{i}]");
        }
    }

    [Fact]
    public void Mismatched_lengths_throw()
    {
        Assert.Throws<ArgumentException>(() => WeightedMse.Evaluate<float>(new float[6], new float[5], [], 3, []));
        Assert.Throws<ArgumentException>(() => WeightedMse.Evaluate<float>(new float[6], new float[6], new float[2], 3, []));
        Assert.Throws<ArgumentException>(() => WeightedMse.Evaluate<float>(new float[6], new float[6], [], 3, new float[5]));
        Assert.Throws<ArgumentException>(() => WeightedMse.Evaluate<float>(new float[7], new float[7], [], 3, []));
    }
}
