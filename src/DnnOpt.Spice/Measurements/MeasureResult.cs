namespace DnnOpt.Spice.Measurements;

/// <summary>How a measurement ended.</summary>
public enum MeasureStatus
{
    /// <summary>Evaluated; <see cref="MeasureResult.Value"/> holds the number.</summary>
    Ok,

    /// <summary>Could not be evaluated (no crossing, out of range, missing vector, analysis not converged); the
    /// reason says why. ngspice prints such a measure as failed.</summary>
    Failed,

    /// <summary>The deck has no analysis of this measure's kind (ngspice silently skips it).</summary>
    NotRun,
}

/// <summary>The outcome of one <c>.measure</c>.</summary>
/// <param name="Name">Result name (lower case).</param>
/// <param name="Analysis">Analysis kind it reads.</param>
/// <param name="Status">Whether it was evaluated.</param>
/// <param name="Value">The value when <see cref="Status"/> is <see cref="MeasureStatus.Ok"/>, else NaN. Units are those
/// of the vector (V, A, dB, rad or degrees), of the scale (s, Hz, V) for <c>when</c> and <c>trig/targ</c>, or their
/// product for <c>integ</c>.</param>
/// <param name="Reason">Why it failed, or null.</param>
public readonly record struct MeasureResult(string Name, string Analysis, MeasureStatus Status, double Value, string? Reason)
{
    /// <summary>True when the value is usable.</summary>
    public bool Succeeded => Status == MeasureStatus.Ok;

    internal static MeasureResult Ok(MeasureDefinition d, double value) => new(d.Name, d.Analysis, MeasureStatus.Ok, value, null);

    internal static MeasureResult Fail(MeasureDefinition d, string reason) => new(d.Name, d.Analysis, MeasureStatus.Failed, double.NaN, reason);
}

/// <summary>Options of measure evaluation.</summary>
public sealed record MeasureOptions
{
    /// <summary>The defaults: phase in radians, as ngspice 39 reports <c>vp()</c> unless <c>set units=degree</c>.</summary>
    public static MeasureOptions Default { get; } = new();

    /// <summary>Report phases (<c>vp</c>, <c>ph</c>) in degrees (ngspice: <c>set units=degree</c> in a <c>.control</c>
    /// block; <c>.options units=degree</c> has no effect in ngspice 39). Default false: radians.</summary>
    public bool PhaseInDegrees { get; init; }
}

/// <summary>
/// The results of every <c>.measure</c> of a deck for one simulation, in statement order. Lookup by name is
/// case-insensitive; when a name is measured twice the later statement wins, as an ngspice parameter would.
/// </summary>
public sealed class MeasureResults : IReadOnlyList<MeasureResult>
{
    private readonly MeasureResult[] _results;
    private readonly IReadOnlyDictionary<string, int> _index;

    internal MeasureResults(MeasureResult[] results, IReadOnlyDictionary<string, int> index)
    {
        _results = results;
        _index = index;
    }

    /// <inheritdoc/>
    public int Count => _results.Length;

    /// <summary>Number of measures that were evaluated but failed.</summary>
    public int FailedCount => _results.Count(r => r.Status == MeasureStatus.Failed);

    /// <inheritdoc/>
    public MeasureResult this[int index] => _results[index];

    /// <summary>The result of the measure named <paramref name="name"/>.</summary>
    /// <param name="name">Result name.</param>
    /// <returns>The result.</returns>
    /// <exception cref="KeyNotFoundException">The deck has no such measure.</exception>
    public MeasureResult this[string name] => TryGetResult(name, out MeasureResult r) ? r : throw new KeyNotFoundException($"no .measure named '{name}'");

    /// <summary>Looks a result up by name.</summary>
    /// <param name="name">Result name.</param>
    /// <param name="result">The result when the deck has such a measure.</param>
    /// <returns>Whether it exists (evaluated or not).</returns>
    public bool TryGetResult(string name, out MeasureResult result)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_index.TryGetValue(name.ToLowerInvariant(), out int i))
        {
            result = _results[i];
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>The value of a measure that succeeded.</summary>
    /// <param name="name">Result name.</param>
    /// <param name="value">The value when it succeeded.</param>
    /// <returns>False when it does not exist, failed or was not run.</returns>
    public bool TryGetValue(string name, out double value)
    {
        value = double.NaN;
        if (TryGetResult(name, out MeasureResult r) && r.Succeeded)
        {
            value = r.Value;
            return true;
        }

        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<MeasureResult> GetEnumerator() => ((IEnumerable<MeasureResult>)_results).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _results.GetEnumerator();
}
