using System.Numerics;

namespace DnnOpt.Spice.Devices;

/// <summary>
/// A device's small-signal model about the operating point for the AC and noise analyses. Every stamp in this
/// simulator has the form G + jωC with G and C independent of frequency (conductances, transconductances, inductive
/// branch terms -jωL, capacitances), so a device loads its real part and its per-radian imaginary part once per
/// operating point and the analysis forms G + jωC for each frequency with one pass over the slots.
/// </summary>
internal interface IFrequencyDevice : IDevice
{
    /// <summary>
    /// Adds the linearised conductances (the DC Jacobian at the operating point) to <see cref="AcLoadContext.Real"/>,
    /// the capacitive terms (coefficients of jω) to <see cref="AcLoadContext.Imaginary"/>, and AC source excitations
    /// to <see cref="AcLoadContext.Excitation"/>. Called after a converged operating point, with the device state of its
    /// last load (as ngspice's MODEINITSMSIG load).
    /// </summary>
    /// <param name="context">Where to add.</param>
    void LoadAc(AcLoadContext context);

    /// <summary>
    /// True for devices without noise generators (ideal C, L, sources, controlled sources). A device that is neither
    /// noiseless nor an <see cref="INoiseDevice"/> makes the noise analysis refuse the circuit rather than leave its
    /// noise out silently.
    /// </summary>
    bool IsNoiseless => false;
}

/// <summary>The arrays a small-signal load writes: per slot real part and jω coefficient, and the AC right-hand side.</summary>
internal sealed class AcLoadContext(int unknowns, int slots)
{
    /// <summary>Real part of every slot (siemens, or dimensionless for branch equations).</summary>
    public double[] Real { get; } = new double[slots];

    /// <summary>Coefficient of jω of every slot (farads, or -henries on inductor branch rows).</summary>
    public double[] Imaginary { get; } = new double[slots];

    /// <summary>AC excitation of every equation (amperes into a node, volts in a branch row).</summary>
    public Complex[] Excitation { get; } = new Complex[unknowns];

    /// <summary>Clears all three arrays.</summary>
    public void Clear()
    {
        Array.Clear(Real);
        Array.Clear(Imaginary);
        Array.Clear(Excitation);
    }

    /// <summary>Adds to the excitation of an equation (ground, -1, is skipped).</summary>
    public void AddExcitation(int equation, Complex value)
    {
        if (equation >= 0)
        {
            Excitation[equation] += value;
        }
    }

    /// <summary>Phasor of an AC specification: magnitude at phase in degrees (ngspice: <c>ac mag phase</c>).</summary>
    public static Complex Phasor(double magnitude, double phaseDegrees)
    {
        double radians = phaseDegrees * Math.PI / 180;
        return new Complex(magnitude * Math.Cos(radians), magnitude * Math.Sin(radians));
    }
}
