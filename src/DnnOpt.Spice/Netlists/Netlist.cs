using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Netlists;

/// <summary>
/// An immutable, parsed SPICE deck: the title, the top-level body with its subcircuit and model definitions, the
/// analyses, options, temperature and node conditions. Values are expression trees, so a
/// <see cref="Circuits.Circuit"/> built from it can take new parameter values without the text being read again.
/// </summary>
public sealed class Netlist
{
    internal Netlist(
        string title,
        CircuitBody top,
        IReadOnlyList<AnalysisStatement> analyses,
        IReadOnlyDictionary<string, (Expression? Value, SourceLocation Location)> options,
        Expression? temperature,
        IReadOnlyList<NodeValueStatement> initialConditions,
        IReadOnlyList<NodeValueStatement> nodesets,
        IReadOnlyList<string> warnings)
    {
        Title = title;
        Top = top;
        Analyses = analyses;
        Options = options;
        Temperature = temperature;
        InitialConditions = initialConditions;
        Nodesets = nodesets;
        Warnings = warnings;
    }

    /// <summary>The first line of the deck.</summary>
    public string Title { get; }

    /// <summary>Top-level elements, parameters, models and subcircuit definitions.</summary>
    public CircuitBody Top { get; }

    /// <summary><c>.op</c>, <c>.dc</c>, <c>.ac</c>, <c>.tran</c> and <c>.noise</c> requests in written order.</summary>
    public IReadOnlyList<AnalysisStatement> Analyses { get; }

    /// <summary><c>.options</c> by lower-case name; flag options have a null value.</summary>
    public IReadOnlyDictionary<string, (Expression? Value, SourceLocation Location)> Options { get; }

    /// <summary>The <c>.temp</c> value in degrees Celsius, when given.</summary>
    public Expression? Temperature { get; }

    /// <summary><c>.ic</c> node voltages (used by the transient analysis of part 2; not by <c>.op</c>, as in ngspice).</summary>
    public IReadOnlyList<NodeValueStatement> InitialConditions { get; }

    /// <summary><c>.nodeset</c> initial guesses for the operating point.</summary>
    public IReadOnlyList<NodeValueStatement> Nodesets { get; }

    /// <summary><c>.global</c> node names: inside subcircuits they refer to the top-level node of the same name.</summary>
    public IReadOnlySet<string> GlobalNodes { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary><c>.measure</c>/<c>.meas</c> lines in written order (top level only, as in ngspice).</summary>
    public IReadOnlyList<MeasureStatement> Measures { get; init; } = [];

    /// <summary>Non-fatal remarks (ignored output requests, unknown model parameters).</summary>
    public IReadOnlyList<string> Warnings { get; }
}
