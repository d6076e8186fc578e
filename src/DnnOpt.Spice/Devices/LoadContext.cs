using DnnOpt.Spice.Analyses;

namespace DnnOpt.Spice.Devices;

/// <summary>How devices start a Newton iteration (ngspice's MODEINITJCT/MODEINITFIX/MODEINITFLOAT).</summary>
internal enum LoadMode
{
    /// <summary>First iteration of an operating point: junctions start at their critical voltage, MOSFETs at threshold.</summary>
    InitJunction,

    /// <summary>Devices flagged <c>off</c> stay off until the rest has converged.</summary>
    InitFix,

    /// <summary>Normal iteration from the previous solution, with voltage limiting.</summary>
    Float,

    /// <summary>
    /// First iteration of a DC sweep point: nonlinear devices start from their junction voltages linearly
    /// extrapolated from the last two sweep points (ngspice's MODEINITPRED), limited against the last point's.
    /// </summary>
    Predict,
}

/// <summary>
/// What a device load sees: the slot values and right-hand side to add into, the previous solution to linearise
/// about, and the iteration state. One instance is reused for every iteration (nothing allocated per load).
/// </summary>
internal sealed class LoadContext(int unknowns, int slots, SimulationOptions options)
{
    public double[] Matrix { get; } = new double[slots];

    public double[] Rhs { get; } = new double[unknowns];

    /// <summary>Previous Newton iterate (the linearisation point before limiting).</summary>
    public double[] Solution { get; set; } = new double[unknowns];

    public LoadMode Mode { get; set; } = LoadMode.InitJunction;

    public SimulationOptions Options { get; set; } = options;

    /// <summary>Junction gmin in siemens: options gmin, or the raised value of true gmin stepping.</summary>
    public double Gmin => GminOverride ?? Options.Gmin;

    /// <summary>Set only while true gmin stepping raises the conductance across every junction.</summary>
    public double? GminOverride { get; set; }

    /// <summary>Scale of every independent source (1 except during source stepping).</summary>
    public double SourceFactor { get; set; } = 1.0;

    /// <summary>Count of devices that limited a junction voltage in this load (the iteration cannot be final).</summary>
    public int NonConvergence { get; set; }

    /// <summary>Name of the last device that limited its voltages (reported when Newton fails).</summary>
    public string? TroubleDevice { get; set; }

    public double Voltage(int node) => node < 0 ? 0.0 : Solution[node];

    public void AddMatrix(int slot, double value)
    {
        if (slot >= 0)
        {
            Matrix[slot] += value;
        }
    }

    public void AddRhs(int node, double value)
    {
        if (node >= 0)
        {
            Rhs[node] += value;
        }
    }
}
