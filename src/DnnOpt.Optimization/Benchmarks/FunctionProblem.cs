namespace DnnOpt.Optimization.Benchmarks;

/// <summary>
/// A closed-form problem: computes the objective and writes the m constraint values (fi &lt;= 0 met) into
/// <paramref name="constraints"/>.
/// </summary>
/// <param name="x">Design in physical units.</param>
/// <param name="constraints">Destination for the m constraint values.</param>
/// <returns>The objective f0.</returns>
public delegate double ProblemFunction(ReadOnlySpan<double> x, Span<double> constraints);

/// <summary>The published optimum of a benchmark problem.</summary>
/// <param name="Value">Best known objective value f*.</param>
/// <param name="X">A design attaining it, in physical units, as published.</param>
/// <param name="Source">Where the value is published.</param>
/// <param name="SuccessThreshold">
/// For an unconstrained problem, the objective at or below which a run counts as a success in the study (the
/// "feasible" of a constrained problem); null for constrained problems.
/// </param>
public sealed record KnownOptimum(double Value, IReadOnlyList<double> X, string Source, double? SuccessThreshold = null);

/// <summary>
/// An <see cref="IProblem"/> given by a closed-form function: the benchmark problems of
/// <see cref="BenchmarkSuite"/>, and any analytic test problem. Thread-safe when the function is.
/// </summary>
public sealed class FunctionProblem : IProblem
{
    private readonly ProblemFunction _function;
    private readonly MetricInfo[] _constraints;

    /// <summary>Creates a problem; metric scales and names are validated.</summary>
    public FunctionProblem(
        string name,
        DesignSpace space,
        MetricInfo objective,
        IReadOnlyList<MetricInfo> constraints,
        ProblemFunction function,
        KnownOptimum? optimum = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(constraints);
        ArgumentNullException.ThrowIfNull(function);
        objective.Validate();
        foreach (var c in constraints)
        {
            c.Validate();
        }

        if (optimum is not null && optimum.X.Count != space.Dimension)
        {
            throw new ArgumentException($"Known optimum of '{name}' has {optimum.X.Count} coordinates; the space has {space.Dimension}.", nameof(optimum));
        }

        Name = name;
        Space = space;
        Objective = objective;
        _constraints = [.. constraints];
        _function = function;
        Optimum = optimum;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public DesignSpace Space { get; }

    /// <inheritdoc/>
    public MetricInfo Objective { get; }

    /// <inheritdoc/>
    public IReadOnlyList<MetricInfo> Constraints => _constraints;

    /// <summary>The published optimum, when known.</summary>
    public KnownOptimum? Optimum { get; }

    /// <inheritdoc/>
    public Evaluation Evaluate(ReadOnlySpan<double> physicalX)
    {
        if (physicalX.Length != Space.Dimension)
        {
            throw new ArgumentException($"Expected {Space.Dimension} values, got {physicalX.Length}.", nameof(physicalX));
        }

        Span<double> c = _constraints.Length <= 64 ? stackalloc double[_constraints.Length] : new double[_constraints.Length];
        double f0 = _function(physicalX, c);
        return Evaluation.Success(f0, c);
    }
}
