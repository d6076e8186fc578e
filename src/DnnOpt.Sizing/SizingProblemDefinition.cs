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

    /// <summary>
    /// The testbench decks (ngspice syntax; first line is the title). Every variable is a top-level <c>.param</c> of at
    /// least one deck; every <c>.measure</c> result of a deck is a metric of the problem, by its name.
    /// </summary>
    public IReadOnlyList<DeckDefinition> Decks { get; init; } = [];

    /// <summary>
    /// An external evaluator instead of decks: a command speaking the JSON-lines protocol of <c>dnnopt evaluate</c>,
    /// whose replies' metrics are the problem's <see cref="MetricSource.External"/> metrics. Null for deck problems.
    /// </summary>
    public EvaluatorDefinition? Evaluator { get; init; }

    /// <summary>The design variables, each a top-level <c>.param</c> of the deck.</summary>
    public required IReadOnlyList<SizingVariable> Variables { get; init; }

    /// <summary>Metrics in evaluation order: an expression metric may use only metrics listed before it.</summary>
    public required IReadOnlyList<MetricDefinition> Metrics { get; init; }

    /// <summary>Name of the metric to minimise.</summary>
    public required string Objective { get; init; }

    /// <summary>
    /// Typical magnitude of the objective in its unit (its normalisation scale; positive), or null for the default:
    /// the magnitude of the objective at the decks' default parameter values (1 when that is zero or cannot be
    /// measured).
    /// </summary>
    public double? ObjectiveScale { get; init; }

    /// <summary>The specifications, in report order.</summary>
    public IReadOnlyList<Spec> Specs { get; init; } = [];

    /// <summary>Saturation margins of named devices, or null.</summary>
    public SaturationRequirement? Saturation { get; init; }

    /// <summary>
    /// The decks with the given values written into their top-level <c>.param</c> lines (round-trip precision,
    /// invariant culture), ready to run in ngspice: the way a design found by the optimiser leaves the tool.
    /// </summary>
    /// <param name="values">Physical values in the order of <see cref="Variables"/>.</param>
    /// <returns>One deck per <see cref="Decks"/> entry, same file names.</returns>
    /// <exception cref="ArgumentException">Wrong number of values.</exception>
    public IReadOnlyList<DeckDefinition> DecksWithValues(ReadOnlySpan<double> values)
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

        return [.. Decks.Select(d => d with { Text = Substitute(d.Text, byName) })];
    }

    private static string Substitute(string deckText, Dictionary<string, double> byName)
    {
        var sb = new StringBuilder(deckText.Length + 64);
        foreach (string line in deckText.Split('\n'))
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

/// <summary>A testbench deck of a sizing problem.</summary>
/// <param name="FileName">File name (messages, exports, the decks written with the best design), e.g. <c>ota_ac.cir</c>.</param>
/// <param name="Text">The deck text.</param>
public sealed record DeckDefinition(string FileName, string Text)
{
    /// <summary>
    /// Reads a file the deck includes (<c>.include</c>, <c>.lib</c>) by the path written in the deck, relative to the
    /// deck's folder; null reads it from the file system relative to the process's current folder. Problem files
    /// resolve includes beside the problem file; built-in benchmarks serve them from the assembly.
    /// </summary>
    public Func<string, string>? ReadInclude { get; init; }

    /// <summary>Parses the deck, resolving includes through <see cref="ReadInclude"/>.</summary>
    /// <returns>The netlist.</returns>
    /// <exception cref="DnnOpt.Spice.Parsing.SpiceParseException">The deck or an included file is invalid.</exception>
    public DnnOpt.Spice.Netlists.Netlist Parse() => DnnOpt.Spice.Parsing.NetlistParser.Parse(Text, FileName, ReadInclude);
}

/// <summary>An external evaluator command (problem file <c>evaluator: { command: ..., timeout: 60 }</c>).</summary>
/// <param name="Command">Shell command line, started once (<c>/bin/sh -c</c>; <c>cmd /c</c> on Windows).</param>
/// <param name="TimeoutSeconds">Longest wait for one reply before the evaluation fails and the process is restarted.</param>
/// <param name="WorkingDirectory">Directory the command runs in (the problem file's).</param>
public sealed record EvaluatorDefinition(string Command, double TimeoutSeconds, string WorkingDirectory);
