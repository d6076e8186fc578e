namespace DnnOpt.Sizing;

/// <summary>
/// Everything measured for one design: the <see cref="DnnOpt.Optimization.Evaluation"/> the optimiser sees and the
/// named metric values (NaN where not measured, e.g. after a failure).
/// </summary>
public sealed class Measurement
{
    private readonly double[] _values;
    private readonly IReadOnlyDictionary<string, int> _index;

    internal Measurement(Optimization.Evaluation evaluation, IReadOnlyList<string> names, IReadOnlyDictionary<string, int> index, double[] values)
    {
        Evaluation = evaluation;
        Names = names;
        _index = index;
        _values = values;
    }

    /// <summary>Objective, constraints and metrics, or a failure with its reason.</summary>
    public Optimization.Evaluation Evaluation { get; }

    /// <summary>Metric names (definitions, then saturation margins), in the order of <see cref="Values"/>.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Metric values in the order of <see cref="Names"/>.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Value of a metric by name (NaN when it was not measured).</summary>
    /// <param name="name">Metric name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">No such metric.</exception>
    public double this[string name] => _index.TryGetValue(name, out int i) ? _values[i] : throw new KeyNotFoundException($"no metric '{name}'");
}

/// <summary>How one specification fares for a design (a row of the end-of-run table).</summary>
/// <param name="Constraint">Constraint name (<c>gain_db_min</c>, <c>sat_m1</c>).</param>
/// <param name="Metric">Metric name.</param>
/// <param name="Relation"><c>&gt;</c> or <c>&lt;</c>.</param>
/// <param name="Value">The metric's value (NaN when not measured).</param>
/// <param name="Bound">The bound.</param>
/// <param name="Margin">How far inside the bound the value is, in the metric's unit: positive = met with room.</param>
/// <param name="Met">Whether the constraint is met (f &lt;= 0).</param>
/// <param name="Unit">The metric's unit.</param>
public sealed record SpecOutcome(string Constraint, string Metric, string Relation, double Value, double Bound, double Margin, bool Met, string Unit);
