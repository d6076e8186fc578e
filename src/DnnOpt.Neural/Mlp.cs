using System.Numerics;
using DnnOpt.Neural.Activations;

namespace DnnOpt.Neural;

/// <summary>
/// A multi-layer perceptron of dense layers, <c>a_l = φ_l(a_{l-1} · W_l + b_l)</c>, evaluated on row-major batches.
/// </summary>
/// <remarks>
/// All weights and biases live in one contiguous <see cref="Parameters"/> vector (layer by layer: W_l as an
/// n_{l-1}×n_l row-major block, then b_l), so optimisers, clipping and serialisation treat the network as one vector.
/// Batched evaluation and differentiation go through an <see cref="MlpWorkspace{T}"/>, which owns every intermediate
/// buffer: a forward/backward pass allocates nothing.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> for training; <see cref="double"/> as a reference path.</typeparam>
public sealed partial class Mlp<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _sizes;
    private readonly Activation[] _activations;
    private readonly int[] _weightOffsets;
    private readonly int[] _biasOffsets;
    private readonly T[] _parameters;

    /// <summary>Creates a network with the given layer widths and activations and all parameters zero.</summary>
    /// <param name="layerSizes">Widths n_0 (inputs) … n_L (outputs); at least two entries, all positive.</param>
    /// <param name="activations">One activation per dense layer (L entries).</param>
    /// <exception cref="ArgumentException">The sizes or activations are inconsistent.</exception>
    public Mlp(ReadOnlySpan<int> layerSizes, ReadOnlySpan<Activation> activations)
    {
        if (layerSizes.Length < 2)
        {
            throw new ArgumentException("An MLP needs at least an input and an output width.", nameof(layerSizes));
        }

        if (activations.Length != layerSizes.Length - 1)
        {
            throw new ArgumentException(
                $"Expected {layerSizes.Length - 1} activations (one per layer), got {activations.Length}.", nameof(activations));
        }

        foreach (int size in layerSizes)
        {
            if (size <= 0)
            {
                throw new ArgumentException($"Layer widths must be positive; got {size}.", nameof(layerSizes));
            }
        }

        foreach (Activation activation in activations)
        {
            if (!ActivationDispatch.IsDefined(activation))
            {
                throw new ArgumentException($"Unknown activation {activation}.", nameof(activations));
            }
        }

        _sizes = layerSizes.ToArray();
        _activations = activations.ToArray();
        _weightOffsets = new int[LayerCount];
        _biasOffsets = new int[LayerCount];
        long offset = 0;
        for (int l = 0; l < LayerCount; l++)
        {
            _weightOffsets[l] = checked((int)offset);
            offset += (long)_sizes[l] * _sizes[l + 1];
            _biasOffsets[l] = checked((int)offset);
            offset += _sizes[l + 1];
        }

        _parameters = new T[checked((int)offset)];
    }

    /// <summary>Number of dense layers L.</summary>
    public int LayerCount => _activations.Length;

    /// <summary>Width n_0 of an input row.</summary>
    public int InputSize => _sizes[0];

    /// <summary>Width n_L of an output row.</summary>
    public int OutputSize => _sizes[^1];

    /// <summary>Total number of weights and biases.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>Widest layer (inputs included).</summary>
    public int MaxWidth => _sizes.Max();

    /// <summary>Layer widths n_0 … n_L.</summary>
    public ReadOnlySpan<int> LayerSizes => _sizes;

    /// <summary>Activation of each layer.</summary>
    public ReadOnlySpan<Activation> Activations => _activations;

    /// <summary>All weights and biases, in the layout described on the type.</summary>
    public Span<T> Parameters => _parameters;

    /// <summary>The n_{l-1}×n_l weight block of layer <paramref name="layer"/> (0-based), row-major.</summary>
    public Span<T> Weights(int layer) => _parameters.AsSpan(_weightOffsets[layer], _sizes[layer] * _sizes[layer + 1]);

    /// <summary>The bias vector of layer <paramref name="layer"/> (0-based).</summary>
    public Span<T> Biases(int layer) => _parameters.AsSpan(_biasOffsets[layer], _sizes[layer + 1]);

    /// <summary>Offset of layer <paramref name="layer"/>'s weights within <see cref="Parameters"/>.</summary>
    public int WeightOffset(int layer) => _weightOffsets[layer];

    /// <summary>Offset of layer <paramref name="layer"/>'s biases within <see cref="Parameters"/>.</summary>
    public int BiasOffset(int layer) => _biasOffsets[layer];

    /// <summary>Draws fresh weights (see <see cref="WeightInit"/>) and zeroes the biases.</summary>
    public void Initialize(Random random, WeightInit init = WeightInit.Auto)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int l = 0; l < LayerCount; l++)
        {
            int fanIn = _sizes[l];
            int fanOut = _sizes[l + 1];
            WeightInit scheme = init != WeightInit.Auto
                ? init
                : _activations[l] is Activation.Relu or Activation.Silu ? WeightInit.He : WeightInit.Xavier;
            Span<T> w = Weights(l);
            if (scheme == WeightInit.He)
            {
                double sigma = Math.Sqrt(2.0 / fanIn);
                for (int i = 0; i < w.Length; i++)
                {
                    w[i] = T.CreateChecked(sigma * StandardNormal(random));
                }
            }
            else
            {
                double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < w.Length; i++)
                {
                    w[i] = T.CreateChecked(limit * ((2.0 * random.NextDouble()) - 1.0));
                }
            }

            Biases(l).Clear();
        }
    }

    /// <summary>A deep copy (same shape, same parameters).</summary>
    public Mlp<T> Clone()
    {
        var copy = new Mlp<T>(_sizes, _activations);
        _parameters.CopyTo(copy._parameters, 0);
        return copy;
    }

    /// <summary>Whether <paramref name="other"/> has the same layer widths and activations.</summary>
    public bool HasSameShape(Mlp<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _sizes.AsSpan().SequenceEqual(other._sizes) && _activations.AsSpan().SequenceEqual(other._activations);
    }

    /// <summary>A standard normal deviate by the Box-Muller transform (one per call, so a seed fixes the stream).</summary>
    internal static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

/// <summary>Factory methods for <see cref="Mlp{T}"/>.</summary>
public static class Mlp
{
    /// <summary>
    /// Creates a network with <paramref name="hidden"/> on every hidden layer and <paramref name="output"/> on the last,
    /// initialised from <paramref name="random"/>.
    /// </summary>
    public static Mlp<T> Create<T>(
        ReadOnlySpan<int> layerSizes, Activation hidden, Activation output, Random random, WeightInit init = WeightInit.Auto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        var activations = new Activation[Math.Max(0, layerSizes.Length - 1)];
        activations.AsSpan().Fill(hidden);
        if (activations.Length > 0)
        {
            activations[^1] = output;
        }

        var mlp = new Mlp<T>(layerSizes, activations);
        mlp.Initialize(random, init);
        return mlp;
    }
}
