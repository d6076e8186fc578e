using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Analyses;

/// <summary>
/// An AC small-signal sweep: the complex phasor of every unknown at every frequency (volts for nodes, amperes for
/// branch currents), as ngspice's AC plot. <see cref="Get"/> reads <c>v(out)</c>, <c>v(a,b)</c> or <c>i(v1)</c>;
/// as an <see cref="IVectorSet"/> the scale is <c>frequency</c> in hertz and the vectors are complex.
/// </summary>
public sealed class AcResult : AnalysisResult, IVectorSet
{
    private readonly double[] _frequencies;
    private readonly Complex[] _data;
    private readonly int _size;
    private readonly string[] _vectorNames;
    private readonly Dictionary<string, int> _vectorIndex = new(StringComparer.Ordinal);

    internal AcResult(IReadOnlyList<string> unknownNames, IReadOnlyList<UnknownKind> kinds, double[] frequencies, Complex[] data, int count, NewtonResult newton)
        : base(unknownNames)
    {
        _frequencies = frequencies;
        _data = data;
        _size = unknownNames.Count;
        Count = count;
        Newton = newton;
        _vectorNames = new string[_size];
        for (int i = 0; i < _size; i++)
        {
            string n = unknownNames[i];
            _vectorNames[i] = kinds[i] == UnknownKind.Current && n.EndsWith("#branch", StringComparison.Ordinal)
                ? "i(" + n[..^"#branch".Length] + ")"
                : "v(" + n + ")";
            _vectorIndex[_vectorNames[i]] = i;
        }
    }

    /// <summary>True when the operating point converged and every frequency point was solved.</summary>
    public override bool Converged => Newton.Converged && Count == _frequencies.Length;

    /// <summary>
    /// The operating point's Newton outcome, or, when a frequency point could not be solved, a
    /// <see cref="NewtonExit.Singular"/> result naming the unknown without a usable pivot.
    /// </summary>
    public override NewtonResult Newton { get; }

    /// <summary>Number of frequency points solved.</summary>
    public int Count { get; }

    /// <summary>The requested frequencies in hertz (the first <see cref="Count"/> were solved).</summary>
    public IReadOnlyList<double> Frequencies => _frequencies;

    /// <inheritdoc/>
    public string AnalysisKind => "ac";

    /// <inheritdoc/>
    public string ScaleName => "frequency";

    /// <inheritdoc/>
    public IReadOnlyList<double> Scale => new ArraySegment<double>(_frequencies, 0, Count);

    /// <inheritdoc/>
    public bool IsComplex => true;

    /// <inheritdoc/>
    public IReadOnlyList<string> VectorNames => _vectorNames;

    /// <summary>
    /// A phasor vector over the solved points: <c>v(node)</c>, <c>v(a,b)</c> (difference), <c>i(vsource)</c> (branch
    /// current of V, L, E, H, positive from n+ through the element), or a bare node name.
    /// </summary>
    /// <param name="vector">The name.</param>
    /// <returns>One phasor per solved frequency.</returns>
    public Complex[] Get(string vector)
    {
        (char kind, string a, string b) = ParseVector(vector);
        if (kind == '@')
        {
            throw new KeyNotFoundException($"device quantities are not vectors of an AC analysis ('{vector}')");
        }

        var result = new Complex[Count];
        if (kind == 'i')
        {
            Fill(result, UnknownIndex(a + "#branch", vector), -1);
            return result;
        }

        int ia = UnknownTable.IsGround(a) ? -1 : UnknownIndex(a, vector);
        int ib = b.Length == 0 || UnknownTable.IsGround(b) ? -1 : UnknownIndex(b, vector);
        Fill(result, ia, ib);
        return result;
    }

    /// <inheritdoc/>
    public bool TryGetVector(string name, [NotNullWhen(true)] out IReadOnlyList<Complex>? values)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_vectorIndex.TryGetValue(name.Trim().ToLowerInvariant(), out int i))
        {
            var r = new Complex[Count];
            Fill(r, i, -1);
            values = r;
            return true;
        }

        values = null;
        return false;
    }

    private void Fill(Complex[] result, int plus, int minus)
    {
        for (int p = 0; p < result.Length; p++)
        {
            int row = p * _size;
            Complex v = plus < 0 ? Complex.Zero : _data[row + plus];
            if (minus >= 0)
            {
                v -= _data[row + minus];
            }

            result[p] = v;
        }
    }
}
