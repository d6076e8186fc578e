using System.Numerics;

namespace DnnOpt.Neural;

/// <summary>
/// Every intermediate buffer of a batched forward and backward pass through one network shape, sized for a maximum
/// batch. Holding them here is what makes a training step allocation-free. A workspace serves one pass at a time:
/// the backward pass reads the activations the last forward pass left in it.
/// </summary>
public sealed class MlpWorkspace<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _sizes;

    /// <summary>Creates buffers for networks shaped like <paramref name="network"/> and batches up to <paramref name="maxBatch"/> rows.</summary>
    public MlpWorkspace(Mlp<T> network, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        _sizes = network.LayerSizes.ToArray();
        MaxBatch = maxBatch;
        int layers = _sizes.Length - 1;
        int maxWidth = _sizes.Max();
        PreActivations = new T[layers][];
        ActivationsOut = new T[layers + 1][];
        ActivationsOut[0] = new T[maxBatch * _sizes[0]];
        int maxWeights = 0;
        for (int l = 0; l < layers; l++)
        {
            PreActivations[l] = new T[maxBatch * _sizes[l + 1]];
            ActivationsOut[l + 1] = new T[maxBatch * _sizes[l + 1]];
            maxWeights = Math.Max(maxWeights, _sizes[l] * _sizes[l + 1]);
        }

        GradientA = new T[maxBatch * maxWidth];
        GradientB = new T[maxBatch * maxWidth];
        Scratch = new T[Math.Max(maxWeights, maxBatch * maxWidth)];
    }

    /// <summary>Largest batch this workspace accepts.</summary>
    public int MaxBatch { get; }

    /// <summary>Rows in the last forward pass (0 before any).</summary>
    public int Batch { get; internal set; }

    internal T[][] PreActivations { get; }

    /// <summary>Index 0 holds a copy of the input; index l the output of layer l.</summary>
    internal T[][] ActivationsOut { get; }

    internal T[] GradientA { get; }

    internal T[] GradientB { get; }

    internal T[] Scratch { get; }

    /// <summary>The output rows of the last forward pass (Batch × n_L).</summary>
    public ReadOnlySpan<T> Output => ActivationsOut[^1].AsSpan(0, Batch * _sizes[^1]);

    internal bool Fits(Mlp<T> network) => network.LayerSizes.SequenceEqual(_sizes);
}
