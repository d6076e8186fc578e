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

    /// <summary>
    /// First Newton iteration of the first transient time point (ngspice's MODEINITTRAN): nonlinear devices start from
    /// the operating point's junction voltages; charge histories are taken equal to the present charges.
    /// </summary>
    InitTransient,
}

/// <summary>Which analysis a load belongs to (ngspice's MODEDC / MODETRANOP / MODETRAN bits).</summary>
internal enum AnalysisMode
{
    /// <summary>Operating point or DC sweep: capacitors open, inductors short, no charges kept.</summary>
    Dc,

    /// <summary>The operating point that starts a transient: DC behaviour, but charges are computed and stored.</summary>
    TransientOperatingPoint,

    /// <summary>A transient time point: charges are integrated into companion conductances and currents.</summary>
    Transient,
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

    /// <summary>The analysis the load belongs to.</summary>
    public AnalysisMode Analysis { get; set; } = AnalysisMode.Dc;

    /// <summary>Transient with <c>uic</c>: the initial load takes <c>ic=</c> values instead of an operating point.</summary>
    public bool UseInitialConditions { get; set; }

    /// <summary>Time of the point being solved, in seconds (0 for the operating point).</summary>
    public double Time { get; set; }

    /// <summary>
    /// Linear extrapolation factor of the predictor: a predicted voltage is (1 + f) v[n-1] - f v[n-2], with
    /// f = h[n] / h[n-1] in a transient (ngspice's DEVpred) and 1 between DC sweep points.
    /// </summary>
    public double PredictFactor { get; set; } = 1.0;

    /// <summary>Charge states and integration coefficients of the transient analysis (allocated with the engine).</summary>
    public Integrator Integrator { get; set; } = new(0, []);

    /// <summary>Present state values (charges, their currents, device history); index from <see cref="IDevice.AllocateStates"/>.</summary>
    public double[] State0 => Integrator.State0;

    /// <summary>State values of the last accepted time point.</summary>
    public double[] State1 => Integrator.State1;

    /// <summary>State values of the time point before that.</summary>
    public double[] State2 => Integrator.State2;

    /// <summary>True in the Newton iterations of a transient time point (not its operating point).</summary>
    public bool IsTransient => Analysis == AnalysisMode.Transient;

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
