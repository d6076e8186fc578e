using DnnOpt.Optimization.Surrogates;
using MathNet.Numerics.LinearAlgebra;

namespace DnnOpt.Optimization.Tests.Surrogates;

public class GaussianProcessTests
{
    private static (double[] X, double[] Y) Sample(int n, int d, Func<double[], double> f, int seed)
    {
        var points = LatinHypercube.Sample(n, d, new Random(seed));
        return (points.SelectMany(p => p).ToArray(), points.Select(f).ToArray());
    }

    private static double Smooth(double[] x) => Math.Sin(6 * x[0]) + (0.5 * Math.Cos(4 * x[1])) + (x.Length > 2 ? 0.05 * x[2] : 0);

    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 25)]
    [InlineData(5, 40)]
    public void Log_likelihood_gradient_matches_finite_differences(int d, int n)
    {
        var (x, y) = Sample(n, d, p => Smooth(p.Length >= 2 ? p : [p[0], 0.3]), d);
        var rng = new Random(9);
        var theta = Enumerable.Range(0, d + 2).Select(j => j < d ? Math.Log(0.2 + (0.5 * rng.NextDouble())) : j == d ? 0.3 : Math.Log(1e-3)).ToArray();
        var gradient = new double[d + 2];
        GaussianProcess.LogMarginalLikelihoodAt(x, d, y, theta, gradient);
        var scratch = new double[d + 2];
        for (int j = 0; j < d + 2; j++)
        {
            const double h = 1e-5;
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            double fd = (GaussianProcess.LogMarginalLikelihoodAt(x, d, y, plus, scratch) - GaussianProcess.LogMarginalLikelihoodAt(x, d, y, minus, scratch)) / (2 * h);
            Tolerance.Close(fd, gradient[j], relative: 1e-5, absolute: 1e-6, what: $"dLML/dtheta[{j}]");
        }
    }

    [Fact]
    public void Log_likelihood_equals_the_dense_gaussian_density()
    {
        // Independent oracle: log N(y | 0, K) from an explicit inverse and determinant.
        const int n = 12, d = 2;
        var (x, y) = Sample(n, d, Smooth, 4);
        double[] theta = [Math.Log(0.4), Math.Log(0.25), Math.Log(1.7), Math.Log(1e-3)];
        double lml = GaussianProcess.LogMarginalLikelihoodAt(x, d, y, theta, new double[4]);

        double mean = y.Average();
        double sd = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var ys = Vector<double>.Build.Dense(y.Select(v => (v - mean) / sd).ToArray());
        var k = Matrix<double>.Build.Dense(n, n, (a, b) =>
        {
            double r2 = 0;
            for (int j = 0; j < d; j++)
            {
                double diff = (x[(a * d) + j] - x[(b * d) + j]) / Math.Exp(theta[j]);
                r2 += diff * diff;
            }

            double r = Math.Sqrt(r2);
            return (1.7 * (1 + (Math.Sqrt(5) * r) + (5 * r2 / 3)) * Math.Exp(-Math.Sqrt(5) * r)) + (a == b ? 1e-3 : 0);
        });
        double expected = (-0.5 * ys.DotProduct(k.Inverse() * ys)) - (0.5 * Math.Log(k.Determinant())) - (0.5 * n * Math.Log(2 * Math.PI));
        Tolerance.Close(expected, lml, relative: 1e-9);
    }

    [Fact]
    public void Fitted_model_interpolates_and_predicts_a_smooth_function()
    {
        const int d = 2;
        var (x, y) = Sample(40, d, Smooth, 1);
        var gp = GaussianProcess.Fit(x, d, y);

        for (int i = 0; i < 40; i++)
        {
            var (m, v) = gp.Predict(x.AsSpan(i * d, d));
            Tolerance.Close(y[i], m, absolute: 1e-2, what: $"training point {i}");
            Assert.True(v < 1e-3, $"variance {v} at a training point");
        }

        var test = LatinHypercube.Sample(200, d, new Random(77));
        double sse = test.Sum(p => Math.Pow(gp.Predict(p).Mean - Smooth(p), 2));
        double rms = Math.Sqrt(sse / test.Length);
        Assert.True(rms < 0.05, $"test RMS error {rms} (function range ~3)");
        Assert.True(gp.LogMarginalLikelihood > GaussianProcess.Condition(x, d, y, new([0.0, 0.0], 0, Math.Log(1e-4))).LogMarginalLikelihood);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(37)]
    public void Batched_prediction_equals_one_point_prediction_bit_for_bit(int count)
    {
        const int d = 5;
        var (x, y) = Sample(60, d, Smooth, 3);
        var gp = GaussianProcess.Fit(x, d, y);
        var points = LatinHypercube.Sample(count, d, new Random(9)).SelectMany(p => p).ToArray();
        var mean = new double[count];
        var variance = new double[count];
        gp.PredictBatch(points, count, new double[GaussianProcess.BatchBlock * gp.Count], mean, variance);
        for (int i = 0; i < count; i++)
        {
            var (m, v) = gp.Predict(points.AsSpan(i * d, d));
            Assert.Equal(BitConverter.DoubleToInt64Bits(m), BitConverter.DoubleToInt64Bits(mean[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(v), BitConverter.DoubleToInt64Bits(variance[i]));
        }
    }

    [Fact]
    public void Ard_length_scales_tell_relevant_from_irrelevant_inputs()
    {
        const int d = 3;
        var (x, y) = Sample(50, d, p => Math.Sin(5 * p[0]), 2);
        var gp = GaussianProcess.Fit(x, d, y);
        var l = gp.Hyperparameters.LogLengthScales;
        Assert.True(l[1] > l[0] + 1 && l[2] > l[0] + 1, $"log length scales {string.Join(", ", l)}");
    }

    [Fact]
    public void Variance_grows_away_from_data_and_duplicates_do_not_break_the_factorisation()
    {
        double[] x = [0.1, 0.1, 0.1, 0.5];
        double[] y = [1, 1, 1.0000001, 2];
        var gp = GaussianProcess.Condition(x, 1, y, new([Math.Log(0.1)], 0, Math.Log(1e-6)));
        Assert.True(gp.Predict([0.9]).Variance > 10 * gp.Predict([0.12]).Variance);
        Assert.True(double.IsFinite(gp.Predict([0.3]).Mean));
    }

    [Fact]
    public void Incremental_update_equals_conditioning_from_scratch()
    {
        const int d = 3;
        var (x, y) = Sample(60, d, Smooth, 6);
        var hyper = new GaussianProcessHyperparameters([Math.Log(0.3), Math.Log(0.5), Math.Log(2.0)], 0.2, Math.Log(1e-4));
        var first = GaussianProcess.Condition(x.AsSpan(0, 40 * d), d, y.AsSpan(0, 40), hyper);

        // Old targets change too (as imputed failures do): the update must use the new ones.
        var y2 = (double[])y.Clone();
        y2[3] += 0.5;
        var updated = first.Update(x, y2);
        var scratch = GaussianProcess.Condition(x, d, y2, hyper);
        Assert.Equal(60, updated.Count);
        Tolerance.Close(scratch.LogMarginalLikelihood, updated.LogMarginalLikelihood, relative: 1e-9);
        foreach (var p in LatinHypercube.Sample(25, d, new Random(3)))
        {
            var (m1, v1) = updated.Predict(p);
            var (m2, v2) = scratch.Predict(p);
            Tolerance.Close(m2, m1, relative: 1e-8, absolute: 1e-10, what: "mean");
            Tolerance.Close(v2, v1, relative: 1e-6, absolute: 1e-12, what: "variance");
        }

        Assert.Throws<ArgumentException>(() => first.Update(x.AsSpan(d), y.AsSpan(1)));
    }

    [Fact]
    public void Fit_on_a_recent_subset_still_conditions_on_every_point()
    {
        const int d = 2;
        var (x, y) = Sample(80, d, Smooth, 8);
        var gp = GaussianProcess.Fit(x, d, y, options: new GaussianProcessOptions { MaxFitPoints = 30 });
        Assert.Equal(80, gp.Count);
        for (int i = 0; i < 80; i += 7)
        {
            Tolerance.Close(y[i], gp.Predict(x.AsSpan(i * d, d)).Mean, absolute: 2e-2, what: $"training point {i}");
        }
    }
}
