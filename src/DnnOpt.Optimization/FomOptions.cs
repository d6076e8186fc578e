namespace DnnOpt.Optimization;

/// <summary>
/// Weights of the figure of merit g (paper eq. 4). Effective weights are these divided by each output's
/// <see cref="MetricInfo.Scale"/>, so the defaults (all 1) already weigh outputs of different units sensibly.
/// </summary>
public sealed record FomOptions
{
    /// <summary>w0 before normalisation; default 1. Must be finite and non-negative (0 ranks by constraints only).</summary>
    public double ObjectiveWeight { get; init; } = 1.0;

    /// <summary>
    /// wi before normalisation, one per constraint; null (default) means 1 for every constraint. Each must be finite
    /// and positive.
    /// </summary>
    public IReadOnlyList<double>? ConstraintWeights { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for a negative or non-finite weight.</summary>
    public void Validate()
    {
        if (!double.IsFinite(ObjectiveWeight) || ObjectiveWeight < 0)
        {
            throw new ArgumentException($"Objective weight must be finite and non-negative (got {ObjectiveWeight}).", nameof(ObjectiveWeight));
        }

        if (ConstraintWeights is { } w)
        {
            for (int i = 0; i < w.Count; i++)
            {
                if (!double.IsFinite(w[i]) || w[i] <= 0)
                {
                    throw new ArgumentException($"Constraint weight {i + 1} must be finite and positive (got {w[i]}).", nameof(ConstraintWeights));
                }
            }
        }
    }
}
