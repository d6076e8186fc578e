using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Analyses;

/// <summary>
/// A transient analysis: the solution at every accepted internal time point at or after TSTART (as ngspice stores
/// them without <c>interp</c>), the first being the operating point at t = 0 when TSTART is 0. Vectors are
/// <c>v(node)</c> and <c>i(source)</c> over the scale <c>time</c>.
/// </summary>
public sealed class TransientResult : AnalysisResult, IVectorSet
{
    private readonly List<double> _times;
    private readonly List<double> _values;
    private readonly int _width;
    private readonly string[] _vectorNames;
    private readonly Dictionary<string, int> _vectorIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _savedIndex = new(StringComparer.Ordinal);
    private readonly List<double> _saved;
    private readonly int _savedWidth;

    internal TransientResult(IReadOnlyList<string> unknownNames, IReadOnlyList<UnknownKind> kinds, TransientRecorder recorder, TransientExit exit, NewtonResult newton, double failureTime, long newtonIterations)
        : base(unknownNames)
    {
        // The recorder's buffers become the result's (no copy); nothing writes to them afterwards.
        _times = recorder.Times;
        _values = recorder.Values;
        Time = _times.AsReadOnly();
        _width = recorder.Unknowns;
        Exit = exit;
        Newton = newton;
        FailureTime = failureTime;
        NewtonIterations = newtonIterations;
        var names = new List<string>(unknownNames.Count);
        for (int i = 0; i < unknownNames.Count; i++)
        {
            string n = unknownNames[i];
            string v = kinds[i] == UnknownKind.Voltage
                ? "v(" + n + ")"
                : "i(" + (n.EndsWith("#branch", StringComparison.Ordinal) ? n[..^"#branch".Length] : n) + ")";
            names.Add(v);
            _vectorIndex[v] = i;
        }

        _saved = recorder.SavedValues;
        _savedWidth = recorder.Saved.Count;
        for (int i = 0; i < recorder.Saved.Count; i++)
        {
            _savedIndex[recorder.Saved[i].Key] = i;
            names.Add(recorder.Saved[i].Key);
        }

        _vectorNames = [.. names];
    }

    /// <inheritdoc/>
    public override bool Converged => Exit == TransientExit.Completed;

    /// <inheritdoc/>
    public override NewtonResult Newton { get; }

    /// <summary>How the run ended.</summary>
    public TransientExit Exit { get; }

    /// <summary>Time in seconds of the step that failed (0 when the run completed or the operating point failed).</summary>
    public double FailureTime { get; }

    /// <summary>Newton iterations of the whole run, operating point included.</summary>
    public long NewtonIterations { get; }

    /// <summary>Number of stored time points.</summary>
    public int Count => _times.Count;

    /// <summary>The stored time points in seconds, increasing.</summary>
    public IReadOnlyList<double> Time { get; }

    /// <summary>
    /// A vector over all time points: <c>v(out)</c>, <c>v(a,b)</c>, <c>i(vdd)</c> (branch currents), or a device
    /// quantity saved with the run (<c>@m1[id]</c>).
    /// </summary>
    /// <param name="vector">The name.</param>
    /// <returns>One value per time point (a new array).</returns>
    public double[] Get(string vector)
    {
        (char kind, string a, string b) = ParseVector(vector);
        var result = new double[_times.Count];
        if (kind == '@')
        {
            if (!_savedIndex.TryGetValue("@" + a + "[" + b + "]", out int q))
            {
                throw new KeyNotFoundException($"device quantity '{vector}' was not saved in this transient");
            }

            for (int t = 0; t < result.Length; t++)
            {
                result[t] = _saved[(t * _savedWidth) + q];
            }

            return result;
        }

        if (kind == 'i')
        {
            int k = UnknownIndex(a + "#branch", vector);
            for (int t = 0; t < result.Length; t++)
            {
                result[t] = _values[(t * _width) + k];
            }

            return result;
        }

        int ia = UnknownTable.IsGround(a) ? -1 : UnknownIndex(a, vector);
        int ib = b.Length == 0 || UnknownTable.IsGround(b) ? -1 : UnknownIndex(b, vector);
        for (int t = 0; t < result.Length; t++)
        {
            int row = t * _width;
            result[t] = (ia < 0 ? 0 : _values[row + ia]) - (ib < 0 ? 0 : _values[row + ib]);
        }

        return result;
    }

    /// <summary>
    /// The value of a vector at any time in [first, last] stored point, linearly interpolated between the stored
    /// points (what ngspice's <c>interp</c> or a plot does).
    /// </summary>
    /// <param name="vector">The name, as for <see cref="Get"/>.</param>
    /// <param name="time">Time in seconds.</param>
    /// <returns>The interpolated value.</returns>
    public double Interpolate(string vector, double time) => Interpolate(Get(vector), time);

    /// <summary>Linear interpolation of <paramref name="values"/> (one per stored time) at <paramref name="time"/>.</summary>
    /// <param name="values">Values from <see cref="Get"/>.</param>
    /// <param name="time">Time in seconds, clamped to the stored range.</param>
    /// <returns>The interpolated value.</returns>
    public double Interpolate(IReadOnlyList<double> values, double time)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _times.Count || _times.Count == 0)
        {
            throw new ArgumentException("one value per stored time point is needed", nameof(values));
        }

        if (time <= _times[0])
        {
            return values[0];
        }

        if (time >= _times[^1])
        {
            return values[^1];
        }

        int hi = _times.BinarySearch(time);
        if (hi >= 0)
        {
            return values[hi];
        }

        hi = ~hi;
        int lo = hi - 1;
        double f = (time - _times[lo]) / (_times[hi] - _times[lo]);
        return values[lo] + (f * (values[hi] - values[lo]));
    }

    /// <inheritdoc/>
    public string AnalysisKind => "tran";

    /// <inheritdoc/>
    public string ScaleName => "time";

    /// <inheritdoc/>
    public IReadOnlyList<double> Scale => Time;

    /// <inheritdoc/>
    public bool IsComplex => false;

    /// <inheritdoc/>
    public IReadOnlyList<string> VectorNames => _vectorNames;

    /// <inheritdoc/>
    public bool TryGetVector(string name, [NotNullWhen(true)] out IReadOnlyList<Complex>? values)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        List<double> source;
        int width;
        if (_vectorIndex.TryGetValue(key, out int k))
        {
            (source, width) = (_values, _width);
        }
        else if (_savedIndex.TryGetValue(key, out k))
        {
            (source, width) = (_saved, _savedWidth);
        }
        else
        {
            values = null;
            return false;
        }

        var v = new Complex[_times.Count];
        for (int t = 0; t < v.Length; t++)
        {
            v[t] = new Complex(source[(t * width) + k], 0);
        }

        values = v;
        return true;
    }
}
