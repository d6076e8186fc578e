using System.Globalization;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Sizing;

/// <summary>The direction of a specification.</summary>
public enum SpecKind
{
    /// <summary><c>metric &gt; bound</c>: met when the metric is at least the bound.</summary>
    AtLeast,

    /// <summary><c>metric &lt; bound</c>: met when the metric is at most the bound.</summary>
    AtMost,
}

/// <summary>
/// A specification <c>metric &gt; bound</c> or <c>metric &lt; bound</c>, turned into a constraint of paper eq. 1 as
/// <c>f = bound - metric</c> (at least) or <c>f = metric - bound</c> (at most), met when f &lt;= 0, with normalisation
/// scale <c>|bound|</c> (1 when the bound is 0) unless <see cref="Scale"/> is given: the figure of merit then reads
/// f/scale as "fraction of the spec missed" (see <c>DnnOpt.Optimization.MetricInfo</c>).
/// </summary>
/// <param name="Metric">Name of the metric constrained.</param>
/// <param name="Kind">At least or at most.</param>
/// <param name="Bound">The bound, in the metric's unit.</param>
/// <param name="Scale">Explicit normalisation scale (positive), or null for the default.</param>
public sealed record Spec(string Metric, SpecKind Kind, double Bound, double? Scale = null)
{
    /// <summary>Name of the constraint in histories: <c>METRIC_min</c> for "at least", <c>METRIC_max</c> for "at most".</summary>
    public string ConstraintName => Metric + (Kind == SpecKind.AtLeast ? "_min" : "_max");

    /// <summary>The normalisation scale in effect.</summary>
    public double EffectiveScale => Scale ?? (Bound == 0 ? 1.0 : Math.Abs(Bound));

    /// <summary>The constraint value f (met when &lt;= 0) for a metric value.</summary>
    /// <param name="value">The metric's value.</param>
    /// <returns><c>bound - value</c> or <c>value - bound</c>.</returns>
    public double Constraint(double value) => Kind == SpecKind.AtLeast ? Bound - value : value - Bound;

    /// <summary>
    /// Parses <c>name &gt; bound</c> or <c>name &lt; bound</c> (also <c>&gt;=</c>, <c>&lt;=</c>, which mean the same);
    /// the bound may carry a SPICE suffix (<c>30meg</c>, <c>50m</c>).
    /// </summary>
    /// <param name="text">The spec text.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="FormatException">Not of that form; the message quotes the text.</exception>
    public static Spec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int at = text.IndexOfAny(['<', '>']);
        if (at <= 0)
        {
            throw new FormatException($"spec '{text}' is not of the form 'metric > bound' or 'metric < bound'");
        }

        string name = text[..at].Trim().ToLowerInvariant();
        SpecKind kind = text[at] == '>' ? SpecKind.AtLeast : SpecKind.AtMost;
        string rest = text[(at + 1)..];
        if (rest.StartsWith('='))
        {
            rest = rest[1..];
        }

        rest = rest.Trim();
        if (name.Length == 0 || !SpiceNumber.TryParse(rest, out double bound) || !double.IsFinite(bound))
        {
            throw new FormatException($"spec '{text}' is not of the form 'metric > bound' or 'metric < bound' with a numeric bound");
        }

        return new Spec(name, kind, bound);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Metric} {(Kind == SpecKind.AtLeast ? ">" : "<")} {Bound:G6}");
}
