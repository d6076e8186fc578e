using System.Numerics;
using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Devices;

namespace DnnOpt.Spice.Analyses;

/// <summary>
/// The small-signal system of one topology about an operating point: per-slot real parts G and jω coefficients C
/// loaded once from the devices, the AC excitation, and a complex LU that reuses the real LU's ordering. Each
/// frequency point forms G + jωC in one pass, refactors, and solves; nothing is allocated per point.
/// </summary>
internal sealed class AcSystem
{
    private readonly IFrequencyDevice[] _devices;
    private readonly Complex[] _values;

    public AcSystem(Engine engine, ComplexSparseLu lu)
    {
        var devices = new IFrequencyDevice[engine.Devices.Count];
        for (int i = 0; i < devices.Length; i++)
        {
            devices[i] = engine.Devices[i] as IFrequencyDevice
                ?? throw new NotSupportedException($"device '{engine.Devices[i].Name}' has no small-signal model");
        }

        _devices = devices;
        Size = engine.Unknowns.Count;
        Context = new AcLoadContext(Size, engine.PatternRows.Length);
        _values = new Complex[engine.PatternRows.Length];
        Lu = lu;
    }

    /// <summary>Number of unknowns.</summary>
    public int Size { get; }

    public AcLoadContext Context { get; }

    public ComplexSparseLu Lu { get; }

    /// <summary>Loads every device's small-signal stamps at the present device state (after an operating point).</summary>
    public void Load()
    {
        Context.Clear();
        foreach (IFrequencyDevice d in _devices)
        {
            d.LoadAc(Context);
        }
    }

    /// <summary>Factors G + jωC.</summary>
    /// <param name="omega">Angular frequency 2πf in rad/s.</param>
    /// <returns>The factorisation outcome.</returns>
    public LuResult Factor(double omega)
    {
        double[] g = Context.Real;
        double[] c = Context.Imaginary;
        Complex[] v = _values;
        for (int s = 0; s < v.Length; s++)
        {
            v[s] = new Complex(g[s], omega * c[s]);
        }

        return Lu.Factor(v);
    }

    /// <summary>Solves for the response to the AC sources into <paramref name="x"/> (after <see cref="Factor"/>).</summary>
    /// <param name="x">One complex value per unknown.</param>
    public void SolveExcitation(Span<Complex> x)
    {
        Context.Excitation.CopyTo(x);
        Lu.Solve(x);
    }
}
