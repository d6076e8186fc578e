using System.Numerics;
using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Devices;

namespace DnnOpt.Spice.Analyses;

/// <summary>
/// The noise analysis of one topology (SPICE3's NOISEan, Gary Ng 1987, as in ngspice 39): at each frequency the
/// small-signal system is factored once and solved twice, forward for the gain from the input source (unit phasor on
/// that source alone) to the output, and transposed (the adjoint network, a unit current out of the output node) for
/// the transfer from every node to the output; each device then reports its generators' output densities. Totals
/// integrate every generator separately as a power law between adjacent points (ngspice's Nintegrate), and the
/// input-referred total integrates each density divided by that point's squared gain. Nothing is allocated per point.
/// </summary>
internal sealed class NoiseSystem
{
    // ngspice noisedef.h limits.
    private const double MinLog = 1e-38;
    private const double MinGain = 1e-20;
    private const double FlatThreshold = 1e-10;
    private const double LogThreshold = 1e-10;

    private readonly AcSystem _ac;
    private readonly INoiseDevice[] _devices;
    private readonly int[] _first;
    private readonly double[] _lastLog;
    private readonly Complex[] _input;
    private readonly Complex[] _x;

    public NoiseSystem(AcSystem ac, IReadOnlyList<IDevice> devices)
    {
        _ac = ac;
        var noisy = new List<INoiseDevice>();
        var first = new List<int>();
        int count = 0;
        foreach (IDevice d in devices)
        {
            if (d is INoiseDevice n)
            {
                noisy.Add(n);
                first.Add(count);
                count += n.NoiseSourceCount;
            }
            else if (d is not IFrequencyDevice { IsNoiseless: true })
            {
                throw new NotSupportedException($"device '{d.Name}' has no noise model: a noise analysis would leave its noise out");
            }
        }

        _devices = [.. noisy];
        _first = [.. first];
        _lastLog = new double[count];
        Context = new NoiseContext(ac.Size, count);
        _input = new Complex[ac.Size];
        _x = new Complex[ac.Size];
    }

    public NoiseContext Context { get; }

    /// <summary>The unit excitation of the input source (filled by the caller once per analysis).</summary>
    public Complex[] Input => _input;

    /// <summary>Integrated output and input noise power (V² or A²) so far.</summary>
    public (double Output, double Input) Totals { get; private set; }

    /// <summary>Starts a sweep after the operating point: clears the totals, lets devices cache their generators.</summary>
    public void Start()
    {
        Totals = (0, 0);
        foreach (INoiseDevice d in _devices)
        {
            d.PrepareNoise(Context);
        }
    }

    /// <summary>
    /// One frequency point: factor, gain, adjoint, device densities, integration from the previous point
    /// (<paramref name="previousFrequency"/> equal to <paramref name="frequency"/> at the first point).
    /// </summary>
    /// <returns>Total output density (V²/Hz) and the inverse squared gain, or a singular factorisation.</returns>
    public (LuResult Lu, double OutputDensity, double GainSqInv) Point(double frequency, double previousFrequency, int outputNode, int referenceNode)
    {
        LuResult f = _ac.Factor(2.0 * Math.PI * frequency);
        if (f.Status != LuStatus.Ok)
        {
            return (f, double.NaN, double.NaN);
        }

        ComplexSparseLu lu = _ac.Lu;
        _input.CopyTo(_x, 0);
        lu.Solve(_x);
        Complex h = (outputNode < 0 ? Complex.Zero : _x[outputNode]) - (referenceNode < 0 ? Complex.Zero : _x[referenceNode]);
        double gainSqInv = 1.0 / Math.Max((h.Real * h.Real) + (h.Imaginary * h.Imaginary), MinGain);

        Complex[] z = Context.Adjoint;
        Array.Clear(z);
        if (outputNode >= 0)
        {
            z[outputNode] = 1;
        }

        if (referenceNode >= 0)
        {
            z[referenceNode] = -1;
        }

        lu.SolveTransposed(z);
        Context.Frequency = frequency;
        for (int i = 0; i < _devices.Length; i++)
        {
            _devices[i].LoadNoise(Context, _first[i]);
        }

        double[] d = Context.Densities;
        double total = 0;
        double delFreq = frequency - previousFrequency;
        double lnFreq = Math.Log(Math.Max(frequency, MinLog));
        double lnLastFreq = Math.Log(Math.Max(previousFrequency, MinLog));
        (double outTotal, double inTotal) = Totals;
        for (int s = 0; s < d.Length; s++)
        {
            double density = d[s];
            total += density;
            double lnDensity = Math.Log(Math.Max(density, MinLog));
            if (delFreq != 0)
            {
                // ngspice integrates the input-referred density d·g with both logarithms shifted by ln g, so the
                // power-law exponent is the output's and the integral is the output's times g.
                double integral = Integrate(density, lnDensity, _lastLog[s], delFreq, lnFreq, lnLastFreq);
                outTotal += integral;
                inTotal += integral * gainSqInv;
            }

            _lastLog[s] = lnDensity;
        }

        Totals = (outTotal, inTotal);
        return (f, total, gainSqInv);
    }

    /// <summary>
    /// ∫ S df over [f₁, f₂] for S = a·f^k through the two points (ngspice Nintegrate): k from the log slope; flat when
    /// |k| &lt; 1e-10 (S·Δf), logarithmic when |k + 1| &lt; 1e-10, else a (f₂^(k+1) - f₁^(k+1)) / (k + 1).
    /// </summary>
    private static double Integrate(double density, double lnDensity, double lnLastDensity, double delFreq, double lnFreq, double lnLastFreq)
    {
        double exponent = (lnDensity - lnLastDensity) / (lnFreq - lnLastFreq);
        if (Math.Abs(exponent) < FlatThreshold)
        {
            return density * delFreq;
        }

        double arg = lnDensity - (exponent * lnFreq);
        double a = arg > 700 ? Math.Exp(700.0) * (1.0 + arg - 700.0) : Math.Exp(arg);
        exponent += 1.0;
        return Math.Abs(exponent) < LogThreshold
            ? a * (lnFreq - lnLastFreq)
            : a * ((Math.Exp(exponent * lnFreq) - Math.Exp(exponent * lnLastFreq)) / exponent);
    }
}
