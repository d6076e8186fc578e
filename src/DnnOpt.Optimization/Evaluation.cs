namespace DnnOpt.Optimization;

/// <summary>Whether a design evaluation produced numbers.</summary>
public enum EvaluationStatus
{
    /// <summary>The objective and every constraint value are available and finite.</summary>
    Succeeded,

    /// <summary>
    /// No usable numbers (simulator did not converge, a measurement could not be taken, the evaluator threw). A
    /// failure is recorded and penalised, never fatal.
    /// </summary>
    Failed,
}

/// <summary>
/// The outcome of evaluating one design: objective f0 and constraint values f1..fm with fi &lt;= 0 meaning "met"
/// (paper eq. 1), or a failure with a reason. Immutable.
/// </summary>
public sealed class Evaluation
{
    private readonly double[] _constraints;
    private readonly double[] _metrics;

    private Evaluation(EvaluationStatus status, double objective, double[] constraints, double[] metrics, string? failureReason)
    {
        Status = status;
        Objective = objective;
        _constraints = constraints;
        _metrics = metrics;
        FailureReason = failureReason;
    }

    /// <summary>Succeeded or failed.</summary>
    public EvaluationStatus Status { get; }

    /// <summary>True when <see cref="Status"/> is <see cref="EvaluationStatus.Succeeded"/>.</summary>
    public bool Succeeded => Status == EvaluationStatus.Succeeded;

    /// <summary>Objective f0 (to be minimised); NaN for a failure.</summary>
    public double Objective { get; }

    /// <summary>Constraint values f1..fm, each met when &lt;= 0; empty for a failure.</summary>
    public ReadOnlySpan<double> Constraints => _constraints;

    /// <summary>
    /// Extra measurements for the record, in the order of <see cref="IProblem.MetricNames"/> (NaN = not measured); empty
    /// when none were reported. Informational only: the optimisers do not read them.
    /// </summary>
    public ReadOnlySpan<double> Metrics => _metrics;

    /// <summary>Why the evaluation failed; null when it succeeded.</summary>
    public string? FailureReason { get; }

    /// <summary>True when the evaluation succeeded and every constraint value is &lt;= 0 (no tolerance).</summary>
    public bool IsFeasible
    {
        get
        {
            if (!Succeeded)
            {
                return false;
            }

            foreach (double c in _constraints)
            {
                if (c > 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// A successful evaluation. Values that are not finite are not numbers an optimiser can use, so they turn the
    /// result into a failure naming the offending output instead of throwing.
    /// </summary>
    /// <param name="objective">f0, to be minimised.</param>
    /// <param name="constraints">f1..fm, each met when &lt;= 0.</param>
    /// <param name="metrics">Optional extra measurements (see <see cref="Metrics"/>).</param>
    public static Evaluation Success(double objective, ReadOnlySpan<double> constraints, ReadOnlySpan<double> metrics = default)
    {
        if (!double.IsFinite(objective))
        {
            return Failure($"objective is not finite ({objective.ToString(System.Globalization.CultureInfo.InvariantCulture)})", metrics);
        }

        for (int i = 0; i < constraints.Length; i++)
        {
            if (!double.IsFinite(constraints[i]))
            {
                return Failure($"constraint {i + 1} is not finite ({constraints[i].ToString(System.Globalization.CultureInfo.InvariantCulture)})", metrics);
            }
        }

        return new Evaluation(EvaluationStatus.Succeeded, objective, constraints.ToArray(), metrics.ToArray(), null);
    }

    /// <summary>
    /// A failed evaluation with a human-readable reason (line breaks are replaced by spaces) and, optionally, whatever
    /// measurements were taken before it failed (NaN for the missing ones).
    /// </summary>
    public static Evaluation Failure(string reason, ReadOnlySpan<double> metrics = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        string clean = reason.Replace('\r', ' ').Replace('\n', ' ');
        return new Evaluation(EvaluationStatus.Failed, double.NaN, [], metrics.ToArray(), clean.Length == 0 ? "unspecified failure" : clean);
    }
}
