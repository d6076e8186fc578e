using System.Globalization;

namespace DnnOpt.Spice.Analyses;

/// <summary>
/// Simulator tolerances and limits with ngspice's names, units and defaults (ngspice manual, ".options").
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>Relative convergence tolerance (default 1e-3).</summary>
    public double RelTol { get; init; } = 1e-3;

    /// <summary>Absolute current tolerance in amperes (default 1e-12).</summary>
    public double AbsTol { get; init; } = 1e-12;

    /// <summary>Absolute voltage tolerance in volts (default 1e-6).</summary>
    public double VnTol { get; init; } = 1e-6;

    /// <summary>Charge tolerance in coulombs (default 1e-14): the smallest charge the transient truncation-error
    /// test scales reltol by (ngspice CKTterr).</summary>
    public double ChgTol { get; init; } = 1e-14;

    /// <summary>Truncation-error overestimate factor (default 7): the allowed local truncation error is trtol times
    /// the charge tolerance (ngspice CKTterr).</summary>
    public double TrTol { get; init; } = 7;

    /// <summary>Conductance added in parallel with every pn junction, in siemens (default 1e-12).</summary>
    public double Gmin { get; init; } = 1e-12;

    /// <summary>Newton iteration limit for the operating point (default 100).</summary>
    public int Itl1 { get; init; } = 100;

    /// <summary>Newton iteration limit per DC sweep point (default 50).</summary>
    public int Itl2 { get; init; } = 50;

    /// <summary>Newton iteration limit per transient time point (ngspice <c>itl4</c>, default 10; raised to 100 unless
    /// <see cref="StrictIterationLimits"/>, as ngspice 39 does).</summary>
    public int Itl4 { get; init; } = 10;

    /// <summary>Transient integration method (ngspice <c>method=trap|gear</c>, default trapezoidal).</summary>
    public IntegrationMethod Method { get; init; } = IntegrationMethod.Trapezoidal;

    /// <summary>Largest transient step in seconds when the <c>.tran</c> line gives no TMAX (<c>.options maxstep</c>);
    /// null: ngspice's rule min(TSTEP, (TSTOP - TSTART)/50).</summary>
    public double? MaxStep { get; init; }

    /// <summary>Circuit temperature in degrees Celsius (default 27).</summary>
    public double Temperature { get; init; } = 27;

    /// <summary>Nominal temperature at which model parameters are given, in degrees Celsius (default 27).</summary>
    public double NominalTemperature { get; init; } = 27;

    /// <summary>Absolute pivot threshold (ngspice <c>pivtol</c>, default 1e-13).</summary>
    public double PivotAbsoluteTolerance { get; init; } = 1e-13;

    /// <summary>Relative pivot threshold (ngspice <c>pivrel</c>, default 1e-3; at most 1).</summary>
    public double PivotRelativeTolerance { get; init; } = 1e-3;

    /// <summary>Number of gmin steps; 0 disables gmin stepping (default 1 = ngspice's dynamic stepping).</summary>
    public int GminSteps { get; init; } = 1;

    /// <summary>Number of source steps; 0 disables source stepping (default 1 = adaptive stepping).</summary>
    public int SourceSteps { get; init; } = 1;

    /// <summary>
    /// Also require every device's current-prediction test (|I(v_new) - linearised I| within reltol/abstol) before
    /// Newton may stop. SPICE3 and ngspice compute these tests but, because NIiter overwrites the count with the node
    /// test's result, they never gate convergence; the default (false) reproduces that so results match ngspice.
    /// </summary>
    public bool DeviceConvergenceTest { get; init; }

    /// <summary>
    /// Report the solution of the final Newton solve instead of the point it was linearised at. ngspice (NIiter,
    /// CKTdump) reports the last linearisation point, the voltages at which device quantities were evaluated; the
    /// default (false) does the same so node voltages, branch currents and <c>@dev[...]</c> agree with ngspice and
    /// with each other. True gives the extra Newton step (more accurate by about the last update's size).
    /// </summary>
    public bool KeepFinalNewtonStep { get; init; }

    /// <summary>
    /// Use itl1/itl2 as hard Newton limits. ngspice 39 never stops a Newton solve before 100 iterations whatever
    /// itl1/itl2 say (they only steer its stepping heuristics); the default (false) does the same.
    /// </summary>
    public bool StrictIterationLimits { get; init; }

    /// <summary>Default MOSFET channel length in metres (ngspice <c>defl</c>, default 100 µm).</summary>
    public double DefaultL { get; init; } = 100e-6;

    /// <summary>Default MOSFET channel width in metres (ngspice <c>defw</c>, default 100 µm).</summary>
    public double DefaultW { get; init; } = 100e-6;

    /// <summary>Default drain area in m² (ngspice <c>defad</c>, default 0).</summary>
    public double DefaultAd { get; init; }

    /// <summary>Default source area in m² (ngspice <c>defas</c>, default 0).</summary>
    public double DefaultAs { get; init; }

    /// <summary>Checks that every value is in its valid range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is not positive or a limit is below 1.</exception>
    public void Validate()
    {
        Positive(RelTol, nameof(RelTol));
        Positive(AbsTol, nameof(AbsTol));
        Positive(VnTol, nameof(VnTol));
        Positive(ChgTol, nameof(ChgTol));
        Positive(TrTol, nameof(TrTol));
        ArgumentOutOfRangeException.ThrowIfNegative(Gmin, nameof(Gmin));
        ArgumentOutOfRangeException.ThrowIfLessThan(Itl1, 1, nameof(Itl1));
        ArgumentOutOfRangeException.ThrowIfLessThan(Itl2, 1, nameof(Itl2));
        ArgumentOutOfRangeException.ThrowIfLessThan(Itl4, 1, nameof(Itl4));
        if (MaxStep is double maxStep)
        {
            Positive(maxStep, nameof(MaxStep));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(Temperature, -273.15, nameof(Temperature));
        ArgumentOutOfRangeException.ThrowIfLessThan(NominalTemperature, -273.15, nameof(NominalTemperature));
        Positive(PivotAbsoluteTolerance, nameof(PivotAbsoluteTolerance));
        Positive(PivotRelativeTolerance, nameof(PivotRelativeTolerance));

        // Above 1 even a row's largest entry would fail the relative test and every factorisation would be singular
        // (Sparse 1.3 ignores such a value; a deck asking for it gets an error here instead).
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PivotRelativeTolerance, 1, nameof(PivotRelativeTolerance));
        ArgumentOutOfRangeException.ThrowIfNegative(GminSteps, nameof(GminSteps));
        ArgumentOutOfRangeException.ThrowIfNegative(SourceSteps, nameof(SourceSteps));
        Positive(DefaultL, nameof(DefaultL));
        Positive(DefaultW, nameof(DefaultW));
    }

    private static void Positive(double v, string name)
    {
        if (!(v > 0) || !double.IsFinite(v))
        {
            throw new ArgumentOutOfRangeException(name, v.ToString("R", CultureInfo.InvariantCulture), "must be positive and finite");
        }
    }
}
