using DnnOpt.Neural.Data;

namespace DnnOpt.Neural.Tests.Data;

public sealed class StandardizerTests
{
    [Fact]
    public void Fits_population_mean_and_deviation_per_column()
    {
        double[] rows = [1, 10, 7, 2, 20, 7, 3, 30, 7, 4, 40, 7];
        Standardizer s = Standardizer.Fit<double>(rows, 3);
        Tolerance.AllClose([2.5, 25, 7], s.Mean, 1e-15, 0, "mean");
        Tolerance.AllClose([Math.Sqrt(1.25), Math.Sqrt(125), 1.0], s.Scale, 1e-14, 0, "scale");
    }

    [Fact]
    public void Transform_and_inverse_round_trip()
    {
        var rng = new Random(1);
        double[] rows = Enumerable.Range(0, 40).Select(i => (1e9 * (i % 4)) + rng.NextDouble()).ToArray();
        Standardizer s = Standardizer.Fit<double>(rows, 4);
        double[] copy = (double[])rows.Clone();
        s.Transform<double>(copy);
        for (int c = 0; c < 4; c++)
        {
            double[] column = copy.Where((_, i) => i % 4 == c).ToArray();
            // A column at 1e9 with unit spread keeps ~1e-7 absolute precision in double: 1e-6 is the representable limit here.
            Tolerance.Close(0, column.Average(), 0, 1e-6, $"mean {c}");
            Tolerance.Close(1, Math.Sqrt(column.Select(v => v * v).Average()), 1e-6, 0, $"sd {c}");
        }

        s.InverseTransform<double>(copy);
        Tolerance.AllClose(rows, copy, 1e-15, 1e-6, "round trip");
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Standardizer.Fit<double>([1, 2, 3], 2));
        Assert.Throws<ArgumentException>(() => Standardizer.Fit<double>([1, double.NaN], 2));
        Assert.Throws<ArgumentException>(() => new Standardizer([0.0], [0.0]));
        Standardizer s = Standardizer.Fit<double>([1, 2, 3, 4], 2);
        Assert.Throws<ArgumentException>(() => s.Transform<double>(new double[3]));
    }
}
