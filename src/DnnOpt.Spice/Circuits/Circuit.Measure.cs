using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Measurements;

namespace DnnOpt.Spice.Circuits;

/// <summary><c>.measure</c> evaluation over this circuit's analysis results.</summary>
public sealed partial class Circuit
{
    private MeasureSet? _measures;

    /// <summary>The deck's <c>.measure</c> statements, parsed on first use.</summary>
    /// <exception cref="Parsing.SpiceParseException">A statement is malformed (file, line and what).</exception>
    public MeasureSet Measures => _measures ??= new MeasureSet(_netlist.Measures);

    /// <summary>Phase units of measures (default: radians, as ngspice 39).</summary>
    public MeasureOptions MeasureOptions { get; set; } = MeasureOptions.Default;

    /// <summary>
    /// Evaluates every <c>.measure</c> of the deck over results of <see cref="RunAnalyses"/>, with the current
    /// parameter values for expressions (<c>at='tper/2'</c>, <c>param='gain*2'</c>). Parsing happens once per
    /// circuit; an evaluation allocates only the result table, so it suits one call per design in a sizing loop.
    /// </summary>
    /// <param name="results">The analysis results, in the order they ran.</param>
    /// <returns>One result per statement; measures that cannot be evaluated are failed results with a reason.</returns>
    /// <exception cref="Parsing.SpiceParseException">A statement is malformed.</exception>
    public MeasureResults Measure(IReadOnlyList<AnalysisResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return Measures.Evaluate(results, _scope, MeasureOptions);
    }
}
