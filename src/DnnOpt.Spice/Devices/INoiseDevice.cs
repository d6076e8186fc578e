using System.Numerics;

namespace DnnOpt.Spice.Devices;

/// <summary>
/// A device with noise generators for the noise analysis (SPICE3 / ngspice <c>.noise</c>). Each generator is a current
/// source between two nodes with a one-sided power spectral density; its contribution to the output is that density
/// times |z(a) - z(b)|², z being the adjoint solution (the transfer from a unit current injected at a node to the
/// output voltage).
/// </summary>
internal interface INoiseDevice : IFrequencyDevice
{
    /// <summary>Number of noise generators (fixed per topology; each is integrated separately, as ngspice does).</summary>
    int NoiseSourceCount { get; }

    /// <summary>
    /// Once per analysis, after the operating point: caches the frequency-independent part of every generator
    /// (4kTg, 2q|I|, the flicker coefficient) so <see cref="LoadNoise"/> is a gain times a constant.
    /// </summary>
    /// <param name="context">Temperature and frequency-independent settings.</param>
    void PrepareNoise(NoiseContext context);

    /// <summary>Reports the output noise density of every generator at the context's frequency.</summary>
    /// <param name="context">Adjoint solution, frequency and temperature.</param>
    /// <param name="firstSource">Index of this device's first generator in <see cref="NoiseContext.Densities"/>.</param>
    void LoadNoise(NoiseContext context, int firstSource);
}

/// <summary>
/// What a noise load sees at one frequency: the adjoint solution, the frequency, the circuit temperature, and the
/// output density array the devices fill (V²/Hz at the output, one entry per generator). The helpers are ngspice's
/// NevalSrc forms: thermal 4kT·g·|H|², shot 2q·|I|·|H|², or the bare |H|² for a device's own spectrum (flicker).
/// </summary>
internal sealed class NoiseContext(int unknowns, int sources)
{
    /// <summary>Adjoint solution: transfer from a unit current into each node to the output voltage.</summary>
    public Complex[] Adjoint { get; } = new Complex[unknowns];

    /// <summary>Output noise density of every generator at the present frequency, in V²/Hz.</summary>
    public double[] Densities { get; } = new double[sources];

    /// <summary>Frequency in hertz.</summary>
    public double Frequency { get; set; }

    /// <summary>Circuit temperature in kelvin (ngspice evaluates thermal noise at the circuit temperature plus dtemp).</summary>
    public double Temperature { get; set; }

    /// <summary>|z(p) - z(n)|²: power gain from a current between p and n to the output (ground is -1).</summary>
    public double Gain(int p, int n)
    {
        Complex zp = p < 0 ? Complex.Zero : Adjoint[p];
        Complex zn = n < 0 ? Complex.Zero : Adjoint[n];
        Complex d = zp - zn;
        return (d.Real * d.Real) + (d.Imaginary * d.Imaginary);
    }

    /// <summary>Current density of thermal noise of conductance <paramref name="g"/> (S): 4 k T g, in A²/Hz.</summary>
    public double Thermal(double g, double dtemp = 0) => 4 * Semiconductor.Boltzmann * (Temperature + dtemp) * g;

    /// <summary>Current density of shot noise of DC current <paramref name="current"/> (A): 2 q |I|, in A²/Hz.</summary>
    public static double Shot(double current) => 2 * Semiconductor.Charge * Math.Abs(current);
}
