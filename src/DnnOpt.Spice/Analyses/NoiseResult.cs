using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace DnnOpt.Spice.Analyses;

/// <summary>
/// A noise analysis as ngspice 39 reports it: per frequency the output noise spectral density
/// <c>onoise_spectrum</c> (V/√Hz at the output) and the input-referred density <c>inoise_spectrum</c> (output density
/// divided by the gain from the input source, V/√Hz or A/√Hz), and the integrated totals over the band
/// <see cref="OutputNoiseTotal"/> and <see cref="InputNoiseTotal"/> (ngspice's <c>onoise_total</c>,
/// <c>inoise_total</c>, rms: the square root of the integrated power density).
/// </summary>
public sealed class NoiseResult : AnalysisResult, IVectorSet
{
    private static readonly string[] Names = ["onoise_spectrum", "inoise_spectrum"];
    private readonly double[] _frequencies;
    private readonly double[] _output;
    private readonly double[] _input;

    internal NoiseResult(IReadOnlyList<string> unknownNames, double[] frequencies, double[] output, double[] input, int count, double outputTotal, double inputTotal, NewtonResult newton)
        : base(unknownNames)
    {
        _frequencies = frequencies;
        _output = output;
        _input = input;
        Count = count;
        OutputNoiseTotal = outputTotal;
        InputNoiseTotal = inputTotal;
        Newton = newton;
    }

    /// <summary>True when the operating point converged and every frequency point was solved.</summary>
    public override bool Converged => Newton.Converged && Count == _frequencies.Length;

    /// <inheritdoc/>
    public override NewtonResult Newton { get; }

    /// <summary>Number of frequency points solved.</summary>
    public int Count { get; }

    /// <summary>The frequencies in hertz.</summary>
    public IReadOnlyList<double> Frequencies => new ArraySegment<double>(_frequencies, 0, Count);

    /// <summary>Output noise density per frequency in V/√Hz (ngspice <c>onoise_spectrum</c>).</summary>
    public IReadOnlyList<double> OutputSpectrum => new ArraySegment<double>(_output, 0, Count);

    /// <summary>Input-referred noise density per frequency in V/√Hz or A/√Hz (ngspice <c>inoise_spectrum</c>).</summary>
    public IReadOnlyList<double> InputSpectrum => new ArraySegment<double>(_input, 0, Count);

    /// <summary>
    /// Output noise integrated over the sweep, in volts rms: √(Σ over generators of ∫ S(f) df), each generator's
    /// density integrated piecewise as a power law between adjacent points (ngspice Nintegrate). NaN when the sweep
    /// has a single frequency (ngspice writes no integrated plot then).
    /// </summary>
    public double OutputNoiseTotal { get; }

    /// <summary>Input-referred noise integrated over the sweep (V or A rms), each generator's density divided by the
    /// gain at each point before integrating, as ngspice does. NaN for a single frequency.</summary>
    public double InputNoiseTotal { get; }

    /// <inheritdoc/>
    public string AnalysisKind => "noise";

    /// <inheritdoc/>
    public string ScaleName => "frequency";

    /// <inheritdoc/>
    public IReadOnlyList<double> Scale => Frequencies;

    /// <inheritdoc/>
    public bool IsComplex => false;

    /// <inheritdoc/>
    public IReadOnlyList<string> VectorNames => Names;

    /// <inheritdoc/>
    public bool TryGetVector(string name, [NotNullWhen(true)] out IReadOnlyList<Complex>? values)
    {
        ArgumentNullException.ThrowIfNull(name);
        double[]? source = name.Trim().ToLowerInvariant() switch
        {
            "onoise_spectrum" => _output,
            "inoise_spectrum" => _input,
            _ => null,
        };
        if (source is null)
        {
            values = null;
            return false;
        }

        var v = new Complex[Count];
        for (int i = 0; i < Count; i++)
        {
            v[i] = source[i];
        }

        values = v;
        return true;
    }
}
