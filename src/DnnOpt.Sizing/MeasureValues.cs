using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Sizing;

/// <summary>The <c>.measure</c> results of one deck for one design.</summary>
internal sealed class MeasureValues
{
    private MeasureValues()
    {
    }

    /// <summary>Evaluates every <c>.measure</c> of the circuit's deck over its analysis results.</summary>
    public static MeasureValues Evaluate(Circuit circuit, IReadOnlyList<AnalysisResult> results)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(results);
        return new MeasureValues();
    }

    /// <summary>The value of a measure.</summary>
    /// <exception cref="MeasureFailedException">The measure could not be evaluated for this design.</exception>
#pragma warning disable CA1822 // Instance member: the real implementation reads this deck's results.
    public double Get(string name) => throw new MeasureFailedException($"measure '{name}': the simulator's .measure layer is not available yet");
#pragma warning restore CA1822
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
