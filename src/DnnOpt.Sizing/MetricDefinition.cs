namespace DnnOpt.Sizing;

/// <summary>Where a metric's value comes from.</summary>
public enum MetricSource
{
    /// <summary>
    /// A vector of a deck's operating point in ngspice syntax: <c>v(out)</c>, <c>v(a,b)</c>, <c>i(vdd)</c> (branch
    /// current, positive into the source's positive terminal, as ngspice reports it), <c>@m1[gm]</c> (device quantity).
    /// </summary>
    Vector,

    /// <summary>
    /// An expression (the deck's <c>.param</c> syntax) over metrics defined before it, the design variables and the
    /// deck's top-level parameters, e.g. <c>gm1/(gds2+gds4)</c>.
    /// </summary>
    Expression,

    /// <summary>A <c>.measure</c> result of a deck, by its name (<see cref="MetricDefinition.Text"/>).</summary>
    Measure,

    /// <summary>
    /// Active gate area of MOSFETs, Σ W·L·m in m² over the devices listed (comma-separated) in
    /// <see cref="MetricDefinition.Text"/>, read from the devices as instantiated for the design.
    /// </summary>
    Area,

    /// <summary>A metric of an external evaluator's reply, by its name (<see cref="MetricDefinition.Text"/>).</summary>
    External,
}

/// <summary>A named measurement of a design: an operating-point vector, a deck measure, a gate area or an expression.</summary>
/// <param name="Name">Identifier (letters, digits, underscore; starts with a letter), used in specs and histories.</param>
/// <param name="Source">Where the value comes from.</param>
/// <param name="Text">The vector name, measure name, device list or expression text.</param>
/// <param name="Unit">Unit symbol for reports (<c>V</c>, <c>W</c>, <c>dB</c>, ...); empty when dimensionless.</param>
public sealed record MetricDefinition(string Name, MetricSource Source, string Text, string Unit = "")
{
    /// <summary>File name of the deck a vector, measure or area is read from; null for the first deck (vectors, areas)
    /// or the only deck defining the measure.</summary>
    public string? Deck { get; init; }

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

    /// <summary>A deck's <c>.measure</c> result.</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="measure">The measure's name in the deck.</param>
    /// <param name="unit">Unit symbol.</param>
    /// <returns>The definition.</returns>
    public static MetricDefinition Measure(string name, string measure, string unit = "") => new(name, MetricSource.Measure, measure, unit);

    /// <summary>A metric returned by the external evaluator under the same name.</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="unit">Unit symbol.</param>
    /// <returns>The definition.</returns>
    public static MetricDefinition ExternalMetric(string name, string unit = "") => new(name, MetricSource.External, name, unit);

    /// <summary>Total gate area Σ W·L·m of the listed MOSFETs, in m².</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="devices">Device names.</param>
    /// <returns>The definition.</returns>
    public static MetricDefinition Area(string name, IEnumerable<string> devices) => new(name, MetricSource.Area, string.Join(",", devices), "m^2");
}
