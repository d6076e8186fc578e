namespace DnnOpt.Optimization.Sensitivity;

/// <summary>
/// A problem restricted to a subset of its variables, the others held at fixed physical values: how a large design is
/// optimised after sensitivity pruning (Section II-C). Outputs, scales and metrics are the inner problem's.
/// </summary>
public sealed class SubspaceProblem : IProblem
{
    private readonly IProblem _inner;
    private readonly int[] _free;
    private readonly double[] _fixed;

    /// <summary>Restricts <paramref name="inner"/> to the variables <paramref name="free"/> (indices into its space).</summary>
    /// <param name="inner">The full problem.</param>
    /// <param name="free">Indices of the variables left free, distinct and in range.</param>
    /// <param name="fixedPhysical">Physical values of every variable of the full space; the free ones are overwritten per evaluation.</param>
    public SubspaceProblem(IProblem inner, IReadOnlyList<int> free, ReadOnlySpan<double> fixedPhysical)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(free);
        int d = inner.Space.Dimension;
        if (fixedPhysical.Length != d)
        {
            throw new ArgumentException($"Expected {d} fixed values, got {fixedPhysical.Length}.", nameof(fixedPhysical));
        }

        if (free.Count == 0 || free.Distinct().Count() != free.Count || free.Any(j => j < 0 || j >= d))
        {
            throw new ArgumentException("Free variable indices must be distinct, in range, and at least one.", nameof(free));
        }

        _inner = inner;
        _free = [.. free];
        _fixed = fixedPhysical.ToArray();
        Space = new DesignSpace(_free.Select(j => inner.Space[j]));
    }

    /// <inheritdoc/>
    public string Name => _inner.Name;

    /// <inheritdoc/>
    public DesignSpace Space { get; }

    /// <inheritdoc/>
    public MetricInfo Objective => _inner.Objective;

    /// <inheritdoc/>
    public IReadOnlyList<MetricInfo> Constraints => _inner.Constraints;

    /// <inheritdoc/>
    public IReadOnlyList<string> MetricNames => _inner.MetricNames;

    /// <summary>Indices (into the full space) of the free variables.</summary>
    public IReadOnlyList<int> FreeVariables => _free;

    /// <summary>The full design for a reduced one.</summary>
    public double[] ToFull(ReadOnlySpan<double> reducedPhysical)
    {
        if (reducedPhysical.Length != _free.Length)
        {
            throw new ArgumentException($"Expected {_free.Length} values, got {reducedPhysical.Length}.", nameof(reducedPhysical));
        }

        var full = (double[])_fixed.Clone();
        for (int k = 0; k < _free.Length; k++)
        {
            full[_free[k]] = reducedPhysical[k];
        }

        return full;
    }

    /// <inheritdoc/>
    public Evaluation Evaluate(ReadOnlySpan<double> physicalX) => _inner.Evaluate(ToFull(physicalX));
}
