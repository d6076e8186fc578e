namespace DnnOpt.Optimization;

/// <summary>
/// The figure of merit of paper eq. 4, with each output normalised by its scale:
/// <c>g = c0 * f0 + sum_i min(1, max(0, ci * fi))</c>, where <c>c0 = w0 / s0</c> and <c>ci = wi / si</c>
/// (w from <see cref="FomOptions"/>, s from <see cref="MetricInfo.Scale"/>). Smaller is better. Once every constraint
/// is met only the objective term remains; the min(1, .) clip keeps one badly missed spec from hiding progress on the
/// others (a spec missed by more than its scale contributes exactly 1).
/// </summary>
/// <remarks>
/// A failed evaluation has g = +infinity: it ranks below every design that produced numbers, and a model that needs
/// finite targets must leave it out or impute. <see cref="Violation(ReadOnlySpan{double})"/> gives the unclipped,
/// normalised total violation used by feasibility rules (Deb 2000).
/// </remarks>
public sealed class FigureOfMerit
{
    private readonly double[] _constraintCoefficients;

    /// <summary>Builds g for the outputs of a problem.</summary>
    public FigureOfMerit(IProblem problem, FomOptions? options = null)
        : this((problem ?? throw new ArgumentNullException(nameof(problem))).Objective, problem.Constraints, options)
    {
    }

    /// <summary>Builds g for an objective and constraints described by <see cref="MetricInfo"/>.</summary>
    /// <exception cref="ArgumentException">Invalid metric or options, or a weight count that differs from the constraint count.</exception>
    public FigureOfMerit(MetricInfo objective, IReadOnlyList<MetricInfo> constraints, FomOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(constraints);
        options ??= new FomOptions();
        options.Validate();
        objective.Validate();
        if (options.ConstraintWeights is { } w && w.Count != constraints.Count)
        {
            throw new ArgumentException($"{w.Count} constraint weights given for {constraints.Count} constraints.", nameof(options));
        }

        ObjectiveCoefficient = options.ObjectiveWeight / objective.Scale;
        _constraintCoefficients = new double[constraints.Count];
        for (int i = 0; i < constraints.Count; i++)
        {
            constraints[i].Validate();
            double wi = options.ConstraintWeights?[i] ?? 1.0;
            _constraintCoefficients[i] = wi / constraints[i].Scale;
        }

        Options = options;
    }

    /// <summary>The options this g was built with.</summary>
    public FomOptions Options { get; }

    /// <summary>Number of constraints m.</summary>
    public int ConstraintCount => _constraintCoefficients.Length;

    /// <summary>c0 = w0 / s0: dg/df0.</summary>
    public double ObjectiveCoefficient { get; }

    /// <summary>
    /// ci = wi / si. dg/dfi is ci where 0 &lt; ci*fi &lt; 1 and 0 elsewhere (the clips are flat), which is what a
    /// gradient through a surrogate of f needs.
    /// </summary>
    public ReadOnlySpan<double> ConstraintCoefficients => _constraintCoefficients;

    /// <summary>g for objective <paramref name="objective"/> and constraint values <paramref name="constraints"/> (eq. 4).</summary>
    /// <exception cref="ArgumentException">The constraint count differs from m.</exception>
    public double Evaluate(double objective, ReadOnlySpan<double> constraints)
    {
        CheckCount(constraints.Length);
        double g = ObjectiveCoefficient * objective;
        for (int i = 0; i < constraints.Length; i++)
        {
            g += Math.Min(1.0, Math.Max(0.0, _constraintCoefficients[i] * constraints[i]));
        }

        return g;
    }

    /// <summary>g of an evaluation; +infinity for a failure.</summary>
    public double Evaluate(Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return evaluation.Succeeded ? Evaluate(evaluation.Objective, evaluation.Constraints) : double.PositiveInfinity;
    }

    /// <summary>
    /// Evaluates g for a batch of predicted outputs laid out row-major, <c>outputs[k*(m+1) + 0]</c> = f0 and
    /// <c>outputs[k*(m+1) + i]</c> = fi, writing one value per row into <paramref name="destination"/>.
    /// </summary>
    public void EvaluateRows(ReadOnlySpan<double> outputs, Span<double> destination)
    {
        int width = _constraintCoefficients.Length + 1;
        if (outputs.Length != destination.Length * width)
        {
            throw new ArgumentException($"Expected {destination.Length} rows of {width} outputs, got {outputs.Length} values.", nameof(outputs));
        }

        for (int k = 0; k < destination.Length; k++)
        {
            var row = outputs.Slice(k * width, width);
            destination[k] = Evaluate(row[0], row[1..]);
        }
    }

    /// <summary>
    /// Total normalised violation <c>sum_i max(0, ci * fi)</c> (no upper clip): 0 exactly when every constraint is met.
    /// </summary>
    public double Violation(ReadOnlySpan<double> constraints)
    {
        CheckCount(constraints.Length);
        double v = 0;
        for (int i = 0; i < constraints.Length; i++)
        {
            v += Math.Max(0.0, _constraintCoefficients[i] * constraints[i]);
        }

        return v;
    }

    /// <summary>Total normalised violation of an evaluation; +infinity for a failure.</summary>
    public double Violation(Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return evaluation.Succeeded ? Violation(evaluation.Constraints) : double.PositiveInfinity;
    }

    private void CheckCount(int count)
    {
        if (count != _constraintCoefficients.Length)
        {
            throw new ArgumentException($"Expected {_constraintCoefficients.Length} constraint values, got {count}.");
        }
    }
}
