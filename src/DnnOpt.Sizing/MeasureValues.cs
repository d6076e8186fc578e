using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Measurements;

namespace DnnOpt.Sizing;

/// <summary>The <c>.measure</c> results of one deck for one design.</summary>
internal sealed class MeasureValues
{
    private readonly MeasureResults _results;

    private MeasureValues(MeasureResults results) => _results = results;

    /// <summary>Evaluates every <c>.measure</c> of the circuit's deck over its analysis results.</summary>
    public static MeasureValues Evaluate(Circuit circuit, IReadOnlyList<AnalysisResult> results) => new(circuit.Measure(results));

    /// <summary>The value of a measure.</summary>
    /// <exception cref="MeasureFailedException">The measure could not be evaluated for this design (its reason).</exception>
    public double Get(string name)
    {
        MeasureResult r = _results[name.ToLowerInvariant()];
        return r.Succeeded ? r.Value : throw new MeasureFailedException($"measure '{r.Name}' failed: {r.Reason}");
    }
}

/// <summary>A <c>.measure</c> could not be evaluated for a design (no crossing, out of range): a failed evaluation.</summary>
internal sealed class MeasureFailedException : Exception
{
    public MeasureFailedException()
    {
    }

    public MeasureFailedException(string message)
        : base(message)
    {
    }

    public MeasureFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
