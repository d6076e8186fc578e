using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Analyses;

/// <summary>Common surface of analysis results.</summary>
public abstract class AnalysisResult
{
    private protected AnalysisResult(IReadOnlyList<string> unknownNames)
    {
        UnknownNames = unknownNames;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < unknownNames.Count; i++)
        {
            index[unknownNames[i]] = i;
        }

        Index = index;
    }

    /// <summary>Names of the MNA unknowns: node names, then internal nodes (<c>m1#drain</c>) and branches (<c>v1#branch</c>).</summary>
    public IReadOnlyList<string> UnknownNames { get; }

    /// <summary>True when every point converged.</summary>
    public abstract bool Converged { get; }

    /// <summary>The Newton outcome of the failing solve, or of the last solve when all converged.</summary>
    public abstract NewtonResult Newton { get; }

    private protected IReadOnlyDictionary<string, int> Index { get; }

    /// <summary>
    /// Parses an ngspice vector name: <c>v(node)</c>, <c>v(a,b)</c>, <c>i(vsource)</c>, <c>@device[quantity]</c>, or a
    /// bare node name.
    /// </summary>
    private protected static (char Kind, string A, string B) ParseVector(string vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        string v = vector.Trim().ToLowerInvariant();
        if (v.StartsWith('@'))
        {
            int open = v.IndexOf('[', StringComparison.Ordinal);
            if (open < 0 || !v.EndsWith(']'))
            {
                throw new ArgumentException($"bad device vector '{vector}' (expected @device[quantity])", nameof(vector));
            }

            return ('@', v[1..open], v[(open + 1)..^1]);
        }

        if (v.Length > 3 && (v[0] == 'v' || v[0] == 'i') && v[1] == '(' && v.EndsWith(')'))
        {
            string inner = v[2..^1];
            int comma = inner.IndexOf(',', StringComparison.Ordinal);
            return comma < 0 ? (v[0], inner.Trim(), string.Empty) : (v[0], inner[..comma].Trim(), inner[(comma + 1)..].Trim());
        }

        return ('v', v, string.Empty);
    }

    private protected int UnknownIndex(string name, string vector)
    {
        if (Index.TryGetValue(name, out int i))
        {
            return i;
        }

        throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture, $"no unknown '{name}' for vector '{vector}'"));
    }
}

/// <summary>
/// A DC operating point: node voltages, branch currents and a snapshot of every device's operating-point quantities
/// (taken from the last Newton load, exactly as ngspice reports <c>@m1[gm]</c>).
/// </summary>
public sealed class OperatingPointResult : AnalysisResult
{
    private readonly double[] _solution;
    private readonly QuantityLayout _layout;
    private readonly double[] _quantities;

    internal OperatingPointResult(IReadOnlyList<string> unknownNames, double[] solution, NewtonResult newton, QuantityLayout layout, double[] quantities)
        : base(unknownNames)
    {
        _solution = solution;
        Newton = newton;
        _layout = layout;
        _quantities = quantities;
    }

    /// <inheritdoc/>
    public override bool Converged => Newton.Converged;

    /// <inheritdoc/>
    public override NewtonResult Newton { get; }

    /// <summary>All unknowns in <see cref="AnalysisResult.UnknownNames"/> order (the last iterate when not converged).</summary>
    public IReadOnlyList<double> Solution => _solution;

    /// <summary>Every device quantity captured at the operating point, in the layout's order (tests compare them all).</summary>
    internal IReadOnlyList<double> QuantityValues => _quantities;

    /// <summary>Voltage of a node (0 for ground) in volts.</summary>
    /// <param name="node">Node name as in the deck (<c>out</c>, <c>x1.n3</c>).</param>
    /// <returns>The voltage.</returns>
    public double Voltage(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        string n = node.ToLowerInvariant();
        return UnknownTable.IsGround(n) ? 0 : _solution[UnknownIndex(n, node)];
    }

    /// <summary>Reads a device quantity, e.g. <c>Quantity("m1", "gm")</c>.</summary>
    /// <param name="device">Flattened device name (<c>m1</c>, <c>m.x1.m1</c>).</param>
    /// <param name="quantity">ngspice parameter name.</param>
    /// <returns>The value.</returns>
    public double Quantity(string device, string quantity)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(quantity);
        if (_layout.TryGet(_quantities, device.ToLowerInvariant(), quantity.ToLowerInvariant(), out double v))
        {
            return v;
        }

        throw new KeyNotFoundException($"no quantity '{quantity}' on device '{device}'");
    }

    /// <summary>
    /// Reads a vector by ngspice name: <c>v(out)</c>, <c>v(a,b)</c>, <c>i(v1)</c>, <c>@m1[vdsat]</c>; <c>i(r1)</c> of a
    /// device without a branch current gives its <c>i</c> quantity.
    /// </summary>
    /// <param name="vector">The name.</param>
    /// <returns>The value.</returns>
    public double Get(string vector)
    {
        (char kind, string a, string b) = ParseVector(vector);
        if (kind == 'i' && !Index.ContainsKey(a + "#branch") && _layout.TryGet(_quantities, a, "i", out double current))
        {
            // Devices without a branch unknown (R, G, F, I) report their current as a quantity, like @r1[i].
            return current;
        }

        return kind switch
        {
            '@' => Quantity(a, b),
            'i' => _solution[UnknownIndex(a + "#branch", vector)],
            _ => Voltage(a) - (b.Length > 0 ? Voltage(b) : 0),
        };
    }
}

/// <summary>
/// A DC sweep: one solution per point, inner sweep varying fastest, plus requested device quantities. As an
/// <see cref="IVectorSet"/> (what <c>.measure dc</c> and the raw file read) its scale is the inner sweep value at every
/// point (repeating for each outer value, as ngspice's plot), named as ngspice names it (<c>v-sweep</c>,
/// <c>i-sweep</c>, <c>res-sweep</c>, <c>temp-sweep</c>, or the swept parameter), and its vectors are
/// <c>v(node)</c>, <c>i(vsource)</c> and the saved <c>@device[quantity]</c>s.
/// </summary>
public sealed class DcSweepResult : AnalysisResult, IVectorSet
{
    private readonly List<double[]> _points;
    private readonly List<double[]> _sweepValues;
    private readonly Dictionary<string, List<double>> _quantities;
    private readonly Dictionary<string, IReadOnlyList<Complex>> _vectors = new(StringComparer.Ordinal);
    private double[]? _scale;
    private string[]? _vectorNames;

    internal DcSweepResult(IReadOnlyList<string> unknownNames, IReadOnlyList<string> sweepNames, List<double[]> sweepValues, List<double[]> points, Dictionary<string, List<double>> quantities, NewtonResult newton)
        : base(unknownNames)
    {
        SweepNames = sweepNames;
        _sweepValues = sweepValues;
        _points = points;
        _quantities = quantities;
        Newton = newton;
    }

    /// <inheritdoc/>
    public override bool Converged => Newton.Converged;

    /// <inheritdoc/>
    public override NewtonResult Newton { get; }

    /// <summary>Swept names, inner first.</summary>
    public IReadOnlyList<string> SweepNames { get; }

    /// <summary>Number of points that converged (all of them when <see cref="Converged"/>).</summary>
    public int Count => _points.Count;

    /// <inheritdoc/>
    public string AnalysisKind => "dc";

    /// <inheritdoc/>
    public string ScaleName
    {
        get
        {
            string target = SweepNames[0];
            return target == "temp" ? "temp-sweep" : target[0] switch
            {
                'v' => "v-sweep",
                'i' => "i-sweep",
                'r' => "res-sweep",
                _ => target,
            };
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<double> Scale => _scale ??= SweepValues(0);

    /// <inheritdoc/>
    public bool IsComplex => false;

    /// <inheritdoc/>
    public IReadOnlyList<string> VectorNames => _vectorNames ??= [.. UnknownNames.Where(n => !n.Contains('#', StringComparison.Ordinal) || n.EndsWith("#branch", StringComparison.Ordinal))
        .Select(n => n.EndsWith("#branch", StringComparison.Ordinal) ? "i(" + n[..^"#branch".Length] + ")" : "v(" + n + ")")
        .Concat(_quantities.Keys)];

    /// <inheritdoc/>
    public bool TryGetVector(string name, [NotNullWhen(true)] out IReadOnlyList<Complex>? values)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        if (_vectors.TryGetValue(key, out values))
        {
            return true;
        }

        values = null;
        if (key.StartsWith('@'))
        {
            if (_quantities.TryGetValue(key, out List<double>? q))
            {
                values = new RealColumn(q.Count, i => q[i]);
            }
        }
        else if (key.Length > 3 && key[1] == '(' && key[^1] == ')' && (key[0] == 'v' || key[0] == 'i'))
        {
            string inner = key[2..^1];
            string unknown = key[0] == 'i' ? inner + "#branch" : inner;
            if (!inner.Contains(',', StringComparison.Ordinal) && (key[0] == 'i' || !inner.Contains('#', StringComparison.Ordinal)) && Index.TryGetValue(unknown, out int k))
            {
                values = new RealColumn(_points.Count, i => _points[i][k]);
            }
        }

        if (values is null)
        {
            return false;
        }

        _vectors[key] = values;
        return true;
    }

    /// <summary>Values of sweep <paramref name="sweep"/> (0 = inner) at every point.</summary>
    /// <param name="sweep">Sweep index.</param>
    /// <returns>One value per point.</returns>
    public double[] SweepValues(int sweep) => [.. _sweepValues.Take(_points.Count).Select(p => p[sweep])];

    /// <summary>All unknowns at point <paramref name="point"/>, in <see cref="AnalysisResult.UnknownNames"/> order.</summary>
    /// <param name="point">Point index.</param>
    /// <returns>The solution vector (a copy).</returns>
    public double[] Row(int point) => (double[])_points[point].Clone();

    /// <summary>A vector over all points: <c>v(out)</c>, <c>v(a,b)</c>, <c>i(v1)</c>, or a saved <c>@m1[gm]</c>.</summary>
    /// <param name="vector">The name.</param>
    /// <returns>One value per point.</returns>
    public double[] Get(string vector)
    {
        (char kind, string a, string b) = ParseVector(vector);
        if (kind == '@')
        {
            string key = "@" + a + "[" + b + "]";
            return _quantities.TryGetValue(key, out List<double>? q)
                ? [.. q]
                : throw new KeyNotFoundException($"device quantity '{vector}' was not saved in this sweep");
        }

        if (kind == 'i')
        {
            int k = UnknownIndex(a + "#branch", vector);
            return [.. _points.Select(p => p[k])];
        }

        int ia = UnknownTable.IsGround(a) ? -1 : UnknownIndex(a, vector);
        int ib = b.Length == 0 || UnknownTable.IsGround(b) ? -1 : UnknownIndex(b, vector);
        return [.. _points.Select(p => (ia < 0 ? 0 : p[ia]) - (ib < 0 ? 0 : p[ib]))];
    }
}

/// <summary>A real column seen as complex values (zero imaginary parts), without copying.</summary>
internal sealed class RealColumn(int count, Func<int, double> get) : IReadOnlyList<Complex>
{
    public int Count => count;

    public Complex this[int index] => (uint)index < (uint)count ? new Complex(get(index), 0) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<Complex> GetEnumerator()
    {
        for (int i = 0; i < count; i++)
        {
            yield return new Complex(get(i), 0);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
