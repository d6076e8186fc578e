using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using DnnOpt.Spice.Analyses;

namespace DnnOpt.Spice.Tests.Measurements;

/// <summary>An in-memory vector set with analytic waveforms, for measures whose answers are known exactly.</summary>
internal sealed class SyntheticVectors(string kind, string scaleName, double[] scale) : IVectorSet
{
    private readonly Dictionary<string, Complex[]> _vectors = new(StringComparer.Ordinal);

    public string AnalysisKind => kind;

    public string ScaleName => scaleName;

    public IReadOnlyList<double> Scale => scale;

    public bool IsComplex => _vectors.Values.Any(v => v.Any(z => z.Imaginary != 0));

    public IReadOnlyList<string> VectorNames => [.. _vectors.Keys];

    public SyntheticVectors Add(string name, Func<double, double> f) => Add(name, s => new Complex(f(s), 0));

    public SyntheticVectors Add(string name, Func<double, Complex> f)
    {
        _vectors[name] = [.. scale.Select(f)];
        return this;
    }

    public bool TryGetVector(string name, [NotNullWhen(true)] out IReadOnlyList<Complex>? values)
    {
        bool ok = _vectors.TryGetValue(name, out Complex[]? v);
        values = v;
        return ok;
    }

    /// <summary>n+1 evenly spaced points from a to b (the last exactly b).</summary>
    public static double[] Linear(double a, double b, int n) => [.. Enumerable.Range(0, n + 1).Select(i => i == n ? b : a + ((b - a) * i / n))];

    /// <summary>Points per decade from f1 to f2, as .ac dec.</summary>
    public static double[] Decades(double f1, double f2, int perDecade)
    {
        int n = (int)Math.Round(Math.Log10(f2 / f1) * perDecade);
        return [.. Enumerable.Range(0, n + 1).Select(i => f1 * Math.Pow(10, (double)i / perDecade))];
    }
}
