using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DnnOpt.Sizing;

/// <summary>
/// Everything that defines a circuit sizing problem: the deck template (its top-level <c>.param</c> lines give the
/// variables' default values and the devices use them as <c>{name}</c>), the variables with their ranges, the metrics,
/// the objective and the specifications (DESIGN.md, "Problem files"). <see cref="CircuitProblem.Create"/> checks it.
/// </summary>
public sealed partial record SizingProblemDefinition
{
    /// <summary>Problem name (reports, run-history folders): letters, digits, <c>-</c> and <c>_</c>.</summary>
    public required string Name { get; init; }

    /// <summary>One-paragraph description for <c>dnnopt benchmarks list</c> and exports.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The deck text (ngspice syntax; first line is the title) with an <c>.op</c> analysis.</summary>
    public required string DeckText { get; init; }

    /// <summary>File name of the deck, for messages and exports (e.g. <c>ota5-dc.cir</c>).</summary>
    public string DeckFileName { get; init; } = "<deck>";

    /// <summary>The design variables, each a top-level <c>.param</c> of the deck.</summary>
    public required IReadOnlyList<SizingVariable> Variables { get; init; }

    /// <summary>Metrics in evaluation order: an expression metric may use only metrics listed before it.</summary>
    public required IReadOnlyList<MetricDefinition> Metrics { get; init; }

    /// <summary>Name of the metric to minimise.</summary>
    public required string Objective { get; init; }

    /// <summary>Typical magnitude of the objective in its unit (its normalisation scale; positive).</summary>
    public required double ObjectiveScale { get; init; }

    /// <summary>The specifications, in report order.</summary>
    public IReadOnlyList<Spec> Specs { get; init; } = [];

    /// <summary>Saturation margins of named devices, or null.</summary>
    public SaturationRequirement? Saturation { get; init; }

    /// <summary>
    /// The deck with the given values written into its top-level <c>.param</c> lines (round-trip precision, invariant
    /// culture), ready to run in ngspice: the way a design found by the optimiser leaves the tool.
    /// </summary>
    /// <param name="values">Physical values in the order of <see cref="Variables"/>.</param>
    /// <returns>The deck text.</returns>
    /// <exception cref="ArgumentException">Wrong number of values.</exception>
    public string DeckWithValues(ReadOnlySpan<double> values)
    {
        if (values.Length != Variables.Count)
        {
            throw new ArgumentException($"{values.Length} values given for {Variables.Count} variables", nameof(values));
        }

        var byName = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < values.Length; i++)
        {
            byName[Variables[i].Name] = values[i];
        }

        var sb = new StringBuilder(DeckText.Length + 64);
        foreach (string line in DeckText.Split('\n'))
        {
            string l = line.TrimEnd('\r');
            if (l.TrimStart().StartsWith(".param", StringComparison.OrdinalIgnoreCase))
            {
                l = ParamAssignment().Replace(l, m => byName.TryGetValue(m.Groups[1].Value, out double v)
                    ? m.Groups[1].Value + "=" + v.ToString("R", CultureInfo.InvariantCulture)
                    : m.Value);
            }

            sb.Append(l).Append('\n');
        }

        return sb.ToString().TrimEnd('\n') + "\n";
    }

    [GeneratedRegex(@"\b([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\{[^}]*\}|'[^']*'|[^\s]+)")]
    private static partial Regex ParamAssignment();
}
