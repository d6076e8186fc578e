using System.Numerics;

namespace DnnOpt.Neural.Data;

/// <summary>
/// A supervised data set addressed by row index. Rows may be materialised (<see cref="ArrayTrainingData{T}"/>) or
/// synthesised on demand, e.g. DNN-Opt's N² pseudo-samples built from pairs of N designs without storing them.
/// </summary>
public interface ITrainingData<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of rows.</summary>
    int Count { get; }

    /// <summary>Input width.</summary>
    int InputSize { get; }

    /// <summary>Target width.</summary>
    int TargetSize { get; }

    /// <summary>Copies the rows named by <paramref name="indices"/> into consecutive rows of the two destinations.</summary>
    void Gather(ReadOnlySpan<int> indices, Span<T> inputs, Span<T> targets);
}

/// <summary>Rows held in two row-major arrays (inputs and targets).</summary>
public sealed class ArrayTrainingData<T> : ITrainingData<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _inputs;
    private readonly T[] _targets;

    /// <summary>Wraps <paramref name="inputs"/> (Count × inputSize) and <paramref name="targets"/> (Count × targetSize); arrays are not copied.</summary>
    /// <exception cref="ArgumentException">The arrays do not hold the same whole number of rows.</exception>
    public ArrayTrainingData(T[] inputs, int inputSize, T[] targets, int targetSize)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetSize);
        if (inputs.Length % inputSize != 0 || targets.Length % targetSize != 0
            || inputs.Length / inputSize != targets.Length / targetSize)
        {
            throw new ArgumentException(
                $"Inputs ({inputs.Length} values of width {inputSize}) and targets ({targets.Length} values of width {targetSize}) must hold the same number of whole rows.",
                nameof(targets));
        }

        _inputs = inputs;
        _targets = targets;
        InputSize = inputSize;
        TargetSize = targetSize;
        Count = inputs.Length / inputSize;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <inheritdoc/>
    public int TargetSize { get; }

    /// <inheritdoc/>
    public void Gather(ReadOnlySpan<int> indices, Span<T> inputs, Span<T> targets)
    {
        for (int r = 0; r < indices.Length; r++)
        {
            int i = indices[r];
            _inputs.AsSpan(i * InputSize, InputSize).CopyTo(inputs.Slice(r * InputSize, InputSize));
            _targets.AsSpan(i * TargetSize, TargetSize).CopyTo(targets.Slice(r * TargetSize, TargetSize));
        }
    }
}

/// <summary>A subset of another data set's rows (for train/validation splits without copying).</summary>
public sealed class SubsetTrainingData<T> : ITrainingData<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ITrainingData<T> _source;
    private readonly int[] _rows;
    private readonly int[] _mapped;

    /// <summary>Selects <paramref name="rows"/> of <paramref name="source"/>.</summary>
    public SubsetTrainingData(ITrainingData<T> source, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        foreach (int r in rows)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(r);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(r, source.Count);
        }

        _source = source;
        _rows = rows.ToArray();
        _mapped = new int[_rows.Length];
    }

    /// <inheritdoc/>
    public int Count => _rows.Length;

    /// <inheritdoc/>
    public int InputSize => _source.InputSize;

    /// <inheritdoc/>
    public int TargetSize => _source.TargetSize;

    /// <inheritdoc/>
    public void Gather(ReadOnlySpan<int> indices, Span<T> inputs, Span<T> targets)
    {
        Span<int> mapped = _mapped.AsSpan(0, indices.Length);
        for (int i = 0; i < indices.Length; i++)
        {
            mapped[i] = _rows[indices[i]];
        }

        _source.Gather(mapped, inputs, targets);
    }
}

/// <summary>Helpers over <see cref="ITrainingData{T}"/>.</summary>
public static class TrainingData
{
    /// <summary>
    /// Splits <paramref name="source"/> into a training and a validation subset by a seeded shuffle; the validation
    /// part holds round(fraction · Count) rows (at least one when the fraction is positive and Count ≥ 2).
    /// </summary>
    public static (SubsetTrainingData<T> Train, SubsetTrainingData<T> Validation) Split<T>(
        ITrainingData<T> source, double validationFraction, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(random);
        if (!(validationFraction >= 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "Must be in [0, 1).");
        }

        int[] order = Enumerable.Range(0, source.Count).ToArray();
        random.Shuffle(order);
        int validation = (int)Math.Round(validationFraction * source.Count);
        if (validationFraction > 0 && validation == 0 && source.Count >= 2)
        {
            validation = 1;
        }

        return (new SubsetTrainingData<T>(source, order.AsSpan(validation)), new SubsetTrainingData<T>(source, order.AsSpan(0, validation)));
    }
}
