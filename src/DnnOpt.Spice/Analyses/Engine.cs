using System.Runtime.CompilerServices;
using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Devices;

namespace DnnOpt.Spice.Analyses;

/// <summary>
/// The MNA system of one topology: unknowns, devices with their matrix slots, the sparse LU (ordered once and
/// refactored per iteration) and the Newton-Raphson loop with SPICE convergence tests, gmin stepping and source
/// stepping. Work arrays are allocated once; an iteration only loads, factors and solves.
/// </summary>
internal sealed partial class Engine
{
    private const double NodesetConductance = 1e10;
    private const int MinimumIterationLimit = 100;
    private readonly IDevice[] _devices;

    // Where the diagonal gmin of gmin and source stepping goes: Sparse 1.3's diagonal after its MNA preorder, as
    // ngspice adds it (see MnaPreorder); found at the first load that needs it.
    private int[]? _gminSlots;
    private readonly UnknownKind[] _kinds;
    private readonly (int Unknown, int Slot, double Value)[] _nodesets;
    private readonly (int Unknown, int Slot, double Value)[] _initialConditions;
    private double[] _x;
    private double[] _xOld;

    public Engine(UnknownTable unknowns, IReadOnlyList<IDevice> devices, MatrixStructureBuilder structure, SparseLu lu, IReadOnlyList<(int Unknown, double Value)> nodesets, SimulationOptions options)
        : this(unknowns, devices, structure, lu, nodesets, [], options)
    {
    }

    /// <summary>Builds the engine; <paramref name="initialConditions"/> are the <c>.ic</c> node voltages.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Engine(UnknownTable unknowns, IReadOnlyList<IDevice> devices, MatrixStructureBuilder structure, SparseLu lu, IReadOnlyList<(int Unknown, double Value)> nodesets, IReadOnlyList<(int Unknown, double Value)> initialConditions, SimulationOptions options)
    {
        Unknowns = unknowns;
        PatternRows = [.. structure.Rows];
        PatternColumns = [.. structure.Columns];
        _devices = [.. devices];
        Lu = lu;
        int n = unknowns.Count;
        _kinds = [.. unknowns.Kinds];
        _nodesets = [.. nodesets.Select(ns => (ns.Unknown, structure.GetSlot(ns.Unknown, ns.Unknown), ns.Value))];
        _initialConditions = [.. initialConditions.Select(ic => (ic.Unknown, structure.GetSlot(ic.Unknown, ic.Unknown), ic.Value))];
        Context = new LoadContext(n, structure.Count, options);
        var states = new StateAllocator();
        foreach (IDevice d in _devices)
        {
            d.AllocateStates(states);
        }

        Context.Integrator = states.Build();
        _x = new double[n];
        _xOld = new double[n];
        Context.Solution = _xOld;
        Quantities = new QuantityLayout(_devices);
    }

    /// <summary>Layout of the device-quantity snapshot of an operating point.</summary>
    public QuantityLayout Quantities { get; }

    public UnknownTable Unknowns { get; }

    /// <summary>Row of every matrix slot (to recognise an unchanged topology).</summary>
    public int[] PatternRows { get; }

    /// <summary>Column of every matrix slot.</summary>
    public int[] PatternColumns { get; }

    public SparseLu Lu { get; }

    public LoadContext Context { get; }

    public IReadOnlyList<IDevice> Devices => _devices;

    /// <summary>The latest solution (valid after a converged solve).</summary>
    public double[] Solution => _x;

    /// <summary>Total Newton iterations since construction (for diagnostics and benchmarks).</summary>
    public long TotalIterations { get; private set; }

    public SimulationOptions Options
    {
        get => Context.Options;
        set => Context.Options = value;
    }

    /// <summary>New <c>.nodeset</c> and <c>.ic</c> values (a new design), in the order the engine was given them.</summary>
    public void SetNodeValues(IReadOnlyList<double> nodesets, IReadOnlyList<double> initialConditions)
    {
        for (int i = 0; i < _nodesets.Length; i++)
        {
            _nodesets[i].Value = nodesets[i];
        }

        for (int i = 0; i < _initialConditions.Length; i++)
        {
            _initialConditions[i].Value = initialConditions[i];
        }
    }

    public void SetTemperature(double celsius)
    {
        double t = celsius + Semiconductor.CelsiusToKelvin;
        double tnom = Options.NominalTemperature + Semiconductor.CelsiusToKelvin;
        foreach (IDevice d in _devices)
        {
            d.Temperature(t, tnom);
        }
    }

    /// <summary>Replaces the starting point (same unknown order), e.g. the previous sweep point's solution.</summary>
    public void SetInitialGuess(ReadOnlySpan<double> x)
    {
        x.CopyTo(_x);
        x.CopyTo(_xOld);
    }

    /// <summary>
    /// The SPICE operating-point strategy: plain Newton from the junction initial guess (itl1 iterations); if that
    /// fails, gmin stepping; if that fails, source stepping. Every path ends with a full-source, zero-extra-gmin
    /// Newton solve, so the answer does not depend on the path.
    /// </summary>
    public NewtonResult SolveOperatingPoint()
    {
        Array.Clear(_xOld);
        Array.Clear(_x);
        Context.SourceFactor = 1;
        NewtonResult r = Iterate(Options.Itl1, LoadMode.InitJunction, 0);
        if (r.Converged)
        {
            return r;
        }

        if (Options.GminSteps > 0)
        {
            NewtonResult g = GminStepping(junction: false);
            if (g.Converged)
            {
                return g;
            }

            g = GminStepping(junction: true);
            if (g.Converged)
            {
                return g;
            }
        }

        if (Options.SourceSteps > 0)
        {
            NewtonResult s = SourceStepping();
            if (s.Converged)
            {
                return s;
            }
        }

        return r;
    }

    /// <summary>
    /// One point of a DC sweep, as ngspice's DCtrCurv: the first point of each inner sweep starts from the junction
    /// initial guess, later points from the previous solution with device voltages extrapolated from the last two
    /// points; both get itl2 iterations and fall back to the full operating-point strategy.
    /// </summary>
    /// <param name="first">First point of an inner sweep (also after the outer sweep stepped).</param>
    /// <returns>The Newton outcome.</returns>
    public NewtonResult SolveSweepPoint(bool first)
    {
        Context.SourceFactor = 1;
        NewtonResult r = Iterate(Options.Itl2, first ? LoadMode.InitJunction : LoadMode.Predict, 0);
        if (!r.Converged)
        {
            r = SolveOperatingPoint();
        }

        if (r.Converged)
        {
            foreach (IDevice d in _devices)
            {
                if (first)
                {
                    d.StartHistory();
                }
                else
                {
                    d.AcceptPoint();
                }
            }
        }

        return r;
    }

    /// <summary>
    /// Adaptive gmin stepping as ngspice does it: a large conductance makes the problem easy and is reduced by an
    /// adaptive factor, each step starting from the last good solution (the factor grows after easy steps and shrinks
    /// after failures). With <paramref name="junction"/> false the conductance goes on the matrix diagonal where
    /// ngspice puts it (from every node to ground, except that a voltage source's node gets it on the source's KVL and
    /// KCL entries instead: <see cref="MnaPreorder"/>; "dynamic gmin stepping"); with true it is the gmin across every
    /// pn junction ("true gmin stepping"), which pulls nodes towards the middle of the supplies instead of to ground
    /// and passes bifurcations (long inverter chains) where the first fails.
    /// </summary>
    private NewtonResult GminStepping(bool junction)
    {
        Array.Clear(_xOld);
        Array.Clear(_x);
        double target = Math.Max(Options.Gmin, 1e-15);
        double factor = 10;
        double oldGmin = 1e-2;
        double diag = oldGmin / factor;
        var good = new double[_x.Length];
        LoadMode mode = LoadMode.InitJunction;
        foreach (IDevice d in _devices)
        {
            d.SaveState();
        }

        while (true)
        {
            if (junction)
            {
                Context.GminOverride = diag;
            }

            NewtonResult r = Iterate(Options.Itl2, mode, junction ? 0 : diag);
            Context.GminOverride = null;
            if (r.Converged)
            {
                mode = LoadMode.Float;
                if (diag <= target)
                {
                    break;
                }

                _x.CopyTo(good, 0);
                foreach (IDevice d in _devices)
                {
                    d.SaveState();
                }

                if (r.Iterations <= Options.Itl2 / 4)
                {
                    factor = Math.Min(factor * Math.Sqrt(factor), 10);
                }

                if (r.Iterations > 3 * Options.Itl2 / 4)
                {
                    factor = Math.Sqrt(factor);
                }

                oldGmin = diag;
                if (diag < factor * target)
                {
                    factor = diag / target;
                    diag = target;
                }
                else
                {
                    diag /= factor;
                }

                _x.CopyTo(_xOld, 0);
            }
            else
            {
                if (factor < 1.00005)
                {
                    return r;
                }

                // Smaller step from the last good point (the zero start when no step has succeeded yet).
                factor = Math.Sqrt(Math.Sqrt(factor));
                diag = oldGmin / factor;
                good.CopyTo(_xOld, 0);
                good.CopyTo(_x, 0);
                foreach (IDevice d in _devices)
                {
                    d.RestoreState();
                }
            }
        }

        _x.CopyTo(_xOld, 0);
        return Iterate(Options.Itl1, LoadMode.Float, 0);
    }

    /// <summary>
    /// Gillespie's adaptive source stepping as ngspice uses it: solve with every independent source at zero (with
    /// diagonal gmin stepping if needed), then raise the source factor by an adaptive increment (x1.5 after easy
    /// steps, x0.5 after hard ones, /10 and retry from the last good point after a failure) until it reaches 1.
    /// </summary>
    private NewtonResult SourceStepping()
    {
        Array.Clear(_xOld);
        Array.Clear(_x);
        int itl = Options.Itl2;
        var good = new double[_x.Length];
        Context.SourceFactor = 0;
        NewtonResult r = Iterate(itl, LoadMode.InitJunction, 0);
        if (!r.Converged)
        {
            // Zero sources but still no convergence: walk a diagonal gmin from 1e10 gmin down by decades.
            double diag = Math.Max(Options.Gmin, 1e-15) * 1e10;
            LoadMode mode = LoadMode.InitJunction;
            for (int i = 0; i <= 10; i++)
            {
                r = Iterate(itl, mode, diag);
                if (!r.Converged)
                {
                    Context.SourceFactor = 1;
                    return r;
                }

                mode = LoadMode.Float;
                diag /= 10;
                _x.CopyTo(_xOld, 0);
            }
        }

        _x.CopyTo(good, 0);
        foreach (IDevice d in _devices)
        {
            d.SaveState();
        }

        double converged = 0;
        double raise = 1e-3;
        double factor = raise;
        while (raise >= 1e-7 && converged < 1)
        {
            Context.SourceFactor = factor;
            good.CopyTo(_xOld, 0);
            r = Iterate(itl, LoadMode.Float, 0);
            if (r.Converged)
            {
                converged = factor;
                _x.CopyTo(good, 0);
                foreach (IDevice d in _devices)
                {
                    d.SaveState();
                }

                factor = converged + raise;
                if (r.Iterations <= itl / 4)
                {
                    raise *= 1.5;
                }

                if (r.Iterations > 3 * itl / 4)
                {
                    raise *= 0.5;
                }
            }
            else
            {
                if (factor - converged < 1e-8)
                {
                    break;
                }

                raise = Math.Min(raise / 10, 0.01);
                factor = converged;
                foreach (IDevice d in _devices)
                {
                    d.RestoreState();
                }
            }

            factor = Math.Min(factor, 1);
        }

        Context.SourceFactor = 1;
        if (converged < 1)
        {
            return r.Converged ? new NewtonResult(NewtonExit.IterationLimit, r.Iterations, 0, Unknowns.Count > 0 ? Unknowns.Names[0] : null) : r;
        }

        good.CopyTo(_x, 0);
        return r;
    }

    /// <summary>
    /// Newton-Raphson as SPICE3's NIiter: load at the previous solution, factor, solve; the first iteration and any
    /// iteration in which a device limited its voltages cannot be final; InitJunction moves to InitFix, which moves to
    /// Float once converged (so "off" devices and nodesets are released only from a converged point).
    /// </summary>
    public NewtonResult Iterate(int maxIterations, LoadMode startMode, double diagGmin)
    {
        LoadContext ctx = Context;
        LoadMode mode = startMode;
        int iterations = 0;

        // ngspice 39's NIiter raises every iteration limit below 100 to 100 ("convergence issues that get resolved
        // by increasing max iter"); itl1/itl2 still steer the stepping heuristics through their nominal values.
        if (!Options.StrictIterationLimits)
        {
            maxIterations = Math.Max(maxIterations, MinimumIterationLimit);
        }

        // With nodesets, the first free iteration after they are released cannot be final (ngspice's ipass).
        bool releasePass = false;
        while (true)
        {
            ctx.Mode = mode;
            ctx.Solution = _xOld;
            ctx.NonConvergence = 0;
            Array.Clear(ctx.Matrix);
            Array.Clear(ctx.Rhs);
            foreach (IDevice d in _devices)
            {
                d.Load(ctx);
            }

            if (diagGmin > 0)
            {
                // ngspice's LoadGmin adds it to every diagonal element of its preordered matrix: a voltage source's
                // KVL and KCL entries instead of the rows of the nodes it drives (the values only matter through
                // their exact ±1 source entries, the same in every load).
                _gminSlots ??= MnaPreorder.DiagonalSlots(_kinds.Length, PatternRows, PatternColumns, ctx.Matrix);
                foreach (int slot in _gminSlots)
                {
                    ctx.Matrix[slot] += diagGmin;
                }
            }

            if (mode != LoadMode.Float)
            {
                foreach ((int unknown, int slot, double value) in _nodesets)
                {
                    ctx.Matrix[slot] += NodesetConductance;
                    ctx.Rhs[unknown] += NodesetConductance * value;
                }
            }

            if (ctx.Analysis == AnalysisMode.TransientOperatingPoint && !ctx.UseInitialConditions)
            {
                // As ngspice's CKTload: without uic, .ic voltages are held through the whole initial operating point.
                foreach ((int unknown, int slot, double value) in _initialConditions)
                {
                    ctx.Matrix[slot] += NodesetConductance;
                    ctx.Rhs[unknown] += NodesetConductance * value;
                }
            }

            LuResult f = Lu.Factor(ctx.Matrix);
            iterations++;
            TotalIterations++;
            if (f.Status != LuStatus.Ok)
            {
                return Fail(NewtonExit.Singular, iterations, f.Unknown);
            }

            ctx.Rhs.CopyTo(_x, 0);
            Lu.Solve(_x);
            int bad = FirstNotFinite(_x);
            if (bad >= 0)
            {
                return Fail(NewtonExit.NotFinite, iterations, bad);
            }

            bool converged = false;
            if (ctx.NonConvergence == 0 && iterations > 1)
            {
                converged = WorstUnknown(out _) < 0 && (!Options.DeviceConvergenceTest || DevicesConverged());
            }

            switch (mode)
            {
                case LoadMode.InitJunction:
                    mode = LoadMode.InitFix;
                    break;
                case LoadMode.Predict:
                case LoadMode.InitTransient:
                    mode = LoadMode.Float;
                    break;
                case LoadMode.InitFix:
                    if (converged)
                    {
                        mode = LoadMode.Float;
                        releasePass = _nodesets.Length > 0;
                    }

                    break;
                default:
                    if (releasePass)
                    {
                        releasePass = false;
                        converged = false;
                    }

                    if (converged)
                    {
                        if (!Options.KeepFinalNewtonStep)
                        {
                            // As ngspice: the answer is the point the converged load was linearised at.
                            Array.Copy(_xOld, _x, _x.Length);
                        }

                        return new NewtonResult(NewtonExit.Converged, iterations, -1, null);
                    }

                    break;
            }

            if (iterations >= maxIterations)
            {
                int worst = WorstUnknown(out _);
                return Fail(NewtonExit.IterationLimit, iterations, worst >= 0 ? worst : 0);
            }

            (_x, _xOld) = (_xOld, _x);
        }
    }

    private NewtonResult Fail(NewtonExit exit, int iterations, int unknown)
    {
        // Keep the last iterate visible in Solution for diagnostics.
        string? name = unknown >= 0 && unknown < Unknowns.Count ? Unknowns.Names[unknown] : null;
        return new NewtonResult(exit, iterations, unknown, name);
    }

    private static int FirstNotFinite(double[] x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// SPICE's per-unknown test |new - old| ≤ reltol·max(|new|, |old|) + (vntol for voltages, abstol for currents).
    /// Returns the unknown with the largest excess ratio, or -1 when all pass.
    /// </summary>
    private int WorstUnknown(out double worstRatio)
    {
        SimulationOptions o = Options;
        int worst = -1;
        worstRatio = 1;
        for (int i = 0; i < _x.Length; i++)
        {
            double xn = _x[i];
            double xo = _xOld[i];
            double tol = (o.RelTol * Math.Max(Math.Abs(xn), Math.Abs(xo))) + (_kinds[i] == UnknownKind.Voltage ? o.VnTol : o.AbsTol);
            double ratio = Math.Abs(xn - xo) / tol;
            if (ratio > worstRatio)
            {
                worstRatio = ratio;
                worst = i;
            }
        }

        return worst;
    }

    private bool DevicesConverged()
    {
        foreach (IDevice d in _devices)
        {
            if (!d.IsConverged(Context, _x))
            {
                return false;
            }
        }

        return true;
    }
}
