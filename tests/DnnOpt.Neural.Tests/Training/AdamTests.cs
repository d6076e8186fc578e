using DnnOpt.Neural.Training;

namespace DnnOpt.Neural.Tests.Training;

public sealed class AdamTests
{
    [Fact]
    public void Two_steps_match_hand_computed_values()
    {
        // Worked by hand from Kingma and Ba (2015), Algorithm 1, with α = 0.1 and default β₁, β₂, ε:
        // step 1: m̂ = g, v̂ = g², so θ moves by α·g/(|g| + ε) = 0.1·(1 − 2e-8)… per coordinate;
        // step 2: m = [0.065, 0.021], v = [2.8975e-4, 9.999e-5], m̂ = m/0.19, v̂ = v/0.001999.
        double[] theta = [1.0, -2.0];
        var adam = new Adam<double>(2, new AdamOptions(LearningRate: 0.1));
        adam.Step(theta, [0.5, -0.1]);
        Tolerance.Close(0.900000002, theta[0], 1e-15, 0, "θ0 after 1");
        Tolerance.Close(-1.900000009999999, theta[1], 1e-15, 0, "θ1 after 1");
        adam.Step(theta, [0.2, 0.3]);
        Tolerance.Close(0.8101424839029282, theta[0], 1e-14, 0, "θ0 after 2");
        Tolerance.Close(-1.9494189911200654, theta[1], 1e-14, 0, "θ1 after 2");
        Assert.Equal(2, adam.StepCount);
    }

    [Fact]
    public void Decoupled_weight_decay_shrinks_by_learning_rate_times_decay()
    {
        double[] plain = [3.0];
        double[] decayed = [3.0];
        new Adam<double>(1, new AdamOptions(LearningRate: 0.01)).Step(plain, [0.4]);
        new Adam<double>(1, new AdamOptions(LearningRate: 0.01, WeightDecay: 0.5)).Step(decayed, [0.4]);
        Tolerance.Close(plain[0] - (0.01 * 0.5 * 3.0), decayed[0], 1e-15, 0, "AdamW");
    }

    [Fact]
    public void Float_path_agrees_with_double_path()
    {
        var rng = new Random(4);
        double[] d = Enumerable.Range(0, 37).Select(_ => rng.NextDouble() - 0.5).ToArray();
        float[] f = d.Select(x => (float)x).ToArray();
        d = f.Select(x => (double)x).ToArray();
        var ad = new Adam<double>(d.Length, new AdamOptions(LearningRate: 0.01));
        var af = new Adam<float>(f.Length, new AdamOptions(LearningRate: 0.01));
        for (int s = 0; s < 20; s++)
        {
            double[] g = d.Select((x, i) => Math.Sin(x * (i + 1)) + (0.1 * s)).ToArray();
            ad.Step(d, g);
            af.Step(f, g.Select(x => (float)x).ToArray());
        }

        // 20 steps of ~lr each move θ by ~0.2; float rounding of θ and g compounds to ~1e-6 of that.
        Tolerance.AllClose(d, f.Select(x => (double)x).ToArray(), 1e-5, 1e-5, "θ");
    }

    [Fact]
    public void Reset_restarts_bias_correction()
    {
        double[] a = [1.0];
        double[] b = [1.0];
        var adam = new Adam<double>(1, new AdamOptions(LearningRate: 0.1));
        adam.Step(a, [5.0]);
        adam.Reset();
        a[0] = 1.0;
        adam.Step(a, [0.3]);
        new Adam<double>(1, new AdamOptions(LearningRate: 0.1)).Step(b, [0.3]);
        Assert.Equal(b[0], a[0]);
    }

    [Fact]
    public void Invalid_options_and_lengths_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(3, new AdamOptions(LearningRate: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(3, new AdamOptions(Beta1: 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(3, new AdamOptions(WeightDecay: -1)));
        var adam = new Adam<float>(3, new AdamOptions());
        Assert.Throws<ArgumentException>(() => adam.Step(new float[3], new float[2]));
    }

    [Fact]
    public void Clipping_bounds_the_global_norm_and_reports_non_finite()
    {
        float[] g = [3, 4];
        Tolerance.Close(5, GradientClipping.ClipByGlobalNorm<float>(g, 1.0), 1e-7, 0, "norm");
        Tolerance.Close(0.6, g[0], 1e-6, 0, "g0");
        Tolerance.Close(0.8, g[1], 1e-6, 0, "g1");
        float[] small = [0.3f, 0.4f];
        GradientClipping.ClipByGlobalNorm<float>(small, 1.0);
        Assert.Equal([0.3f, 0.4f], small);
        float[] bad = [1, float.NaN];
        Assert.True(double.IsNaN(GradientClipping.ClipByGlobalNorm<float>(bad, 1.0)));
        Assert.Equal(1f, bad[0]);
    }
}
