namespace DnnOpt.Sizing;

/// <summary>Where a metric's value comes from.</summary>
public enum MetricSource
{
    /// <summary>
    /// A vector of the operating point in ngspice syntax: <c>v(out)</c>, <c>v(a,b)</c>, <c>i(vdd)</c> (branch current,
    /// positive into the source's positive terminal, as ngspice reports it), <c>@m1[gm]</c> (device quantity).
    /// </summary>
    Vector,

    /// <summary>
    /// An expression (the deck's <c>.param</c> syntax) over metrics defined before it, the design variables and the
    /// deck's top-level parameters, e.g. <c>gm1/(gds2+gds4)</c>.
    /// </summary>
    Expression,
}

/// <summary>A named measurement of a design: an operating-point vector or an expression of other values.</summary>
/// <param name="Name">Identifier (letters, digits, underscore; starts with a letter), used in specs and histories.</param>
/// <param name="Source">Vector or expression.</param>
/// <param name="Text">The vector name or the expression text.</param>
/// <param name="Unit">Unit symbol for reports (<c>V</c>, <c>W</c>, <c>dB</c>, ...); empty when dimensionless.</param>
public sealed record MetricDefinition(string Name, MetricSource Source, string Text, string Unit = "")
{
    /// <summary>A metric read from the operating point.</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="vector">ngspice vector name, e.g. <c>@m1[gm]</c>.</param>
    /// <param name="unit">Unit symbol.</param>
    /// <returns>The definition.</returns>
    public static MetricDefinition Vector(string name, string vector, string unit = "") => new(name, MetricSource.Vector, vector, unit);

    /// <summary>A metric computed from other metrics, variables and deck parameters.</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="expression">Expression text, e.g. <c>20*log10(gain)</c>.</param>
    /// <param name="unit">Unit symbol.</param>
    /// <returns>The definition.</returns>
    public static MetricDefinition Expression(string name, string expression, string unit = "") => new(name, MetricSource.Expression, expression, unit);
}
