using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace DnnOpt.Neural.TorchPeer;

/// <summary>
/// The same training step as <see cref="Benchmarks.TrainingStepBenchmarks"/> in LibTorch: Linear-ReLU-Linear-ReLU-Linear,
/// MSE loss, backward, Adam, on the same shapes and batch. LibTorch uses its default intra-op thread count
/// (both cores of the benchmark machine) unless <see cref="Threads"/> says otherwise.
/// </summary>
[MemoryDiagnoser]
public class TorchTrainingStepBenchmarks
{
    private nn.Module<Tensor, Tensor> _net = null!;
    private optim.Optimizer _adam = null!;
    private Tensor _inputs = null!;
    private Tensor _targets = null!;
    private nn.Module<Tensor, Tensor, Tensor> _loss = null!;

    /// <summary>Network shape: inputs-hidden-hidden-outputs.</summary>
    [Params("critic 40-128-128-30", "actor 20-128-128-20")]
    public string Shape { get; set; } = "critic 40-128-128-30";

    /// <summary>Rows per step.</summary>
    [Params(256)]
    public int Batch { get; set; } = 256;

    /// <summary>LibTorch intra-op threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 2;

    /// <summary>Builds the network and data from a fixed seed.</summary>
    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(Threads);
        torch.manual_seed(42);
        int[] s = Shape.Split(' ')[1].Split('-').Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        _net = nn.Sequential(
            nn.Linear(s[0], s[1]), nn.ReLU(),
            nn.Linear(s[1], s[2]), nn.ReLU(),
            nn.Linear(s[2], s[3]));
        _adam = optim.Adam(_net.parameters(), lr: 1e-3);
        _inputs = torch.rand(Batch, s[0]);
        _targets = torch.rand(Batch, s[3]);
        _loss = nn.MSELoss();
    }

    /// <summary>zero_grad, forward, loss, backward, Adam step; returns the loss.</summary>
    [Benchmark]
    public double TorchStep()
    {
        using var scope = torch.NewDisposeScope();
        _adam.zero_grad();
        Tensor loss = _loss.call(_net.call(_inputs), _targets);
        loss.backward();
        _adam.step();
        return loss.item<float>();
    }
}
