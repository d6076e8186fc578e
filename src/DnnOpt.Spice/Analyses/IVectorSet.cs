using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace DnnOpt.Spice.Analyses;

/// <summary>
/// The vectors of one analysis over a common scale, as ngspice's "plot": what <c>.measure</c> reads and the raw-file
/// writer writes. A DC sweep's scale is its (inner) swept value, a transient's is time, an AC or noise analysis's is
/// frequency. Real analyses report vectors with zero imaginary parts.
/// </summary>
public interface IVectorSet
{
    /// <summary>Analysis kind as <c>.measure</c> names it: <c>dc</c>, <c>ac</c>, <c>tran</c> or <c>noise</c>.</summary>
    string AnalysisKind { get; }

    /// <summary>Name of the scale vector (<c>time</c>, <c>frequency</c>, or the swept source or parameter).</summary>
    string ScaleName { get; }

    /// <summary>The scale, one value per point, in increasing order of computation.</summary>
    IReadOnlyList<double> Scale { get; }

    /// <summary>True when the vectors are complex (AC); false when imaginary parts are all zero.</summary>
    bool IsComplex { get; }

    /// <summary>Names of the vectors this set holds, in ngspice form: <c>v(node)</c>, <c>i(vsource)</c>, and analysis
    /// specific ones (<c>onoise_spectrum</c>, <c>inoise_spectrum</c>, saved <c>@m1[gm]</c>).</summary>
    IReadOnlyList<string> VectorNames { get; }

    /// <summary>Looks up a vector by its lower-case ngspice name (<c>v(out)</c>, <c>i(v1)</c>); a differential
    /// <c>v(a,b)</c> is computed by the caller from the two node vectors.</summary>
    /// <param name="name">The vector name.</param>
    /// <param name="values">One value per scale point.</param>
    /// <returns>False when the set has no such vector.</returns>
    bool TryGetVector(string name, [NotNullWhen(true)] out IReadOnlyList<Complex>? values);
}
