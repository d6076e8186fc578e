using DnnOpt.Neural.Activations;
using DnnOpt.Neural.Kernels;
using DnnOpt.Neural.Losses;
using DnnOpt.Neural.Training;

namespace DnnOpt.Neural.Tests.Kernels;

[Collection(nameof(ParallelismSetting))]
public sealed class ParallelGemmTests
{
    [Theory]
    [InlineData(256, 128, 128)]
    [InlineData(257, 40, 130)]
    [InlineData(9, 300, 200)]
    public void Two_threads_give_bit_identical_products(int m, int k, int n)
    {
        var rng = new Random(m + k + n);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] serial = new float[m * n];
        float[] parallel = new float[m * n];
        Assert.True((long)m * k * n >= ParallelGemm.Threshold, "the shape must take the parallel path");
        Gemm.Multiply<float>(a, b, serial, m, k, n, accumulate: false);
        using (ParallelismSetting.Use(2))
        {
            ParallelGemm.Multiply<float>(a, b, parallel, m, k, n, accumulate: false);
        }

        Assert.Equal(serial, parallel);
    }

    [Fact]
    public void Training_steps_are_bit_identical_with_one_or_two_threads()
    {
        float[] Train(int threads)
        {
            using var _ = ParallelismSetting.Use(threads);
            var rng = new Random(8);
            Mlp<float> net = Mlp.Create<float>([40, 128, 128, 30], Activation.Relu, Activation.Identity, rng);
            var ws = new MlpWorkspace<float>(net, 256);
            float[] x = Enumerable.Range(0, 256 * 40).Select(_ => (float)rng.NextDouble()).ToArray();
            float[] t = Enumerable.Range(0, 256 * 30).Select(_ => (float)rng.NextDouble()).ToArray();
            float[] dy = new float[t.Length];
            float[] grad = new float[net.ParameterCount];
            var adam = new Adam<float>(net.ParameterCount, new AdamOptions());
            for (int s = 0; s < 3; s++)
            {
                WeightedMse.Evaluate<float>(net.Forward(ws, x, 256), t, [], 30, dy);
                net.Backward(ws, dy, grad, []);
                adam.Step(net.Parameters, grad);
            }

            return net.Parameters.ToArray();
        }

        Assert.Equal(Train(1), Train(2));
    }
}

/// <summary>Serialises the tests that change the process-wide thread setting.</summary>
[CollectionDefinition(nameof(ParallelismSetting), DisableParallelization = true)]
public sealed class ParallelismSetting
{
    public static IDisposable Use(int threads)
    {
        int previous = NeuralParallelism.MaxDegreeOfParallelism;
        NeuralParallelism.MaxDegreeOfParallelism = threads;
        return new Restore(previous);
    }

    private sealed class Restore(int previous) : IDisposable
    {
        public void Dispose() => NeuralParallelism.MaxDegreeOfParallelism = previous;
    }
}
