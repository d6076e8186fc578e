namespace DnnOpt.Optimization;

/// <summary>Options of one optimisation run (<see cref="OptimizationRunner"/>). Immutable; call <see cref="Validate"/>.</summary>
public sealed record RunOptions
{
    /// <summary>Maximum number of evaluations ("simulations"), initial samples included; default 500 (the paper's budget).</summary>
    public int Budget { get; init; } = 500;

    /// <summary>Candidates asked for per iteration (k); default 1, the paper's sequential algorithm.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Stop once a batch contains a feasible design (the paper's "return cond"); default false.</summary>
    public bool StopOnFirstFeasible { get; init; }

    /// <summary>
    /// How many candidates of one batch the problem may evaluate at once; default 1 (sequential). Above 1 the
    /// problem's Evaluate must be thread-safe. History lines are still written in candidate order.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    /// <summary>Weights of the figure of merit; default all 1 (outputs normalised by their scales).</summary>
    public FomOptions Fom { get; init; } = new();

    /// <summary>Path of the run-history CSV (see <see cref="RunHistory"/>); null (default) writes no history.</summary>
    public string? HistoryPath { get; init; }

    /// <summary>
    /// When true (default) and <see cref="HistoryPath"/> exists, the run resumes: it is replayed with the same seed,
    /// evaluations already in the file are served from it, and new ones are appended. When false an existing file is
    /// overwritten.
    /// </summary>
    public bool Resume { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> for a non-positive budget, batch size or parallelism, or bad FoM weights.</summary>
    public void Validate()
    {
        if (Budget < 1)
        {
            throw new ArgumentException($"Budget must be at least 1 (got {Budget}).", nameof(Budget));
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"Batch size must be at least 1 (got {BatchSize}).", nameof(BatchSize));
        }

        if (MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentException($"Degree of parallelism must be at least 1 (got {MaxDegreeOfParallelism}).", nameof(MaxDegreeOfParallelism));
        }

        ArgumentNullException.ThrowIfNull(Fom);
        Fom.Validate();
    }
}
