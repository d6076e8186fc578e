using BenchmarkDotNet.Attributes;
using DnnOpt.Neural.Activations;
using DnnOpt.Neural.Losses;
using DnnOpt.Neural.Training;

namespace DnnOpt.Neural.Benchmarks;

/// <summary>
/// One full training step (forward, weighted MSE, backward, Adam) of the two networks DNN-Opt trains, at batch 256.
/// FLOPs per step ≈ 6 · batch · Σ n_{l-1}·n_l (2 for the forward product, 2 each for the weight and the input
/// gradient products), i.e. 38.9 MFLOP for the critic 40-128-128-30 and 33.0 MFLOP for the actor 20-128-128-20
/// (slightly less in fact: the first layer's input gradient is not needed).
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private Mlp<float> _net = null!;
    private MlpWorkspace<float> _workspace = null!;
    private Adam<float> _adam = null!;
    private float[] _inputs = null!;
    private float[] _targets = null!;
    private float[] _outputGradient = null!;
    private float[] _gradient = null!;

    /// <summary>Network shape: inputs-hidden-hidden-outputs.</summary>
    [Params("critic 40-128-128-30", "actor 20-128-128-20")]
    public string Shape { get; set; } = "critic 40-128-128-30";

    /// <summary>Rows per step.</summary>
    [Params(256)]
    public int Batch { get; set; } = 256;

    /// <summary>Threads the batched products may use (<see cref="NeuralParallelism.MaxDegreeOfParallelism"/>).</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>Builds the network and data from a fixed seed.</summary>
    [GlobalSetup]
    public void Setup()
    {
        NeuralParallelism.MaxDegreeOfParallelism = Threads;
        int[] sizes = Shape.Split(' ')[1].Split('-').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var rng = new Random(42);
        _net = Mlp.Create<float>(sizes, Activation.Relu, Activation.Identity, rng);
        _workspace = new MlpWorkspace<float>(_net, Batch);
        _adam = new Adam<float>(_net.ParameterCount, new AdamOptions());
        _inputs = Enumerable.Range(0, Batch * sizes[0]).Select(_ => (float)rng.NextDouble()).ToArray();
        _targets = Enumerable.Range(0, Batch * sizes[^1]).Select(_ => (float)rng.NextDouble()).ToArray();
        _outputGradient = new float[_targets.Length];
        _gradient = new float[_net.ParameterCount];
    }

    /// <summary>Forward, loss, backward and an Adam update; returns the loss.</summary>
    [Benchmark]
    public double ManagedStep()
    {
        double loss = WeightedMse.Evaluate<float>(
            _net.Forward(_workspace, _inputs, Batch), _targets, [], _net.OutputSize, _outputGradient);
        _net.Backward(_workspace, _outputGradient, _gradient, []);
        _adam.Step(_net.Parameters, _gradient);
        return loss;
    }
}
