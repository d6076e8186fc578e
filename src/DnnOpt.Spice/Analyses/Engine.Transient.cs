using DnnOpt.Spice.Devices;
using DnnOpt.Spice.Devices.Sources;

namespace DnnOpt.Spice.Analyses;

/// <summary>How a transient analysis ended.</summary>
public enum TransientExit
{
    /// <summary>Reached TSTOP.</summary>
    Completed,

    /// <summary>The initial operating point did not converge (see the Newton result).</summary>
    OperatingPointFailed,

    /// <summary>Newton kept failing (or the truncation error kept rejecting) until the step fell below delmin.</summary>
    TimestepTooSmall,
}

/// <summary>
/// Accepted time points of a transient run: time, the whole solution and the requested device quantities, in flat
/// growing buffers.
/// </summary>
internal sealed class TransientRecorder(int unknowns, IReadOnlyList<(string Key, IDevice Device, string Quantity)> saved)
{
    public int Unknowns { get; } = unknowns;

    public List<double> Times { get; } = [];

    public List<double> Values { get; } = [];

    /// <summary>Requested quantities (<c>@m1[id]</c>) and their devices.</summary>
    public IReadOnlyList<(string Key, IDevice Device, string Quantity)> Saved { get; } = saved;

    /// <summary>Quantity values, one row of <see cref="Saved"/>.Count per point.</summary>
    public List<double> SavedValues { get; } = [];

    /// <summary>Reserves room for <paramref name="points"/> points (TSTOP/TMAX is a lower bound on the count).</summary>
    public void Reserve(int points)
    {
        Times.Capacity = Math.Max(Times.Capacity, points);
        Values.Capacity = Math.Max(Values.Capacity, points * Unknowns);
        SavedValues.Capacity = Math.Max(SavedValues.Capacity, points * Saved.Count);
    }

    public void Add(double time, double[] solution)
    {
        Times.Add(time);
        Values.AddRange(solution);
        foreach ((string _, IDevice device, string quantity) in Saved)
        {
            // The devices hold the state of the last (converged) load, i.e. of this time point.
            SavedValues.Add(device.TryGetQuantity(quantity, solution, out double v) ? v : double.NaN);
        }
    }
}

/// <summary>The transient analysis (SPICE3's DCtran) on the engine's matrix, devices and state vectors.</summary>
internal sealed partial class Engine
{
    /// <summary>
    /// Runs a transient analysis as ngspice 39's DCtran: operating point with <c>.ic</c> enforced (or the <c>uic</c>
    /// start), then time steps with the trapezoidal or Gear formula; each step starts from the device predictor, is
    /// solved by Newton (itl4 iterations, raised to 100 as ngspice does), cut by 8 on failure, accepted when the
    /// charges' local truncation error allows a step above 0.9 of the present one (the next step is that estimate,
    /// at most twice the present one), with the order raised to 2 when that does not shrink the step. Steps land
    /// on source breakpoints; after a breakpoint the order drops to 1 and the step is at most a tenth of the
    /// distance to the next one.
    /// </summary>
    /// <param name="settings">The analysis.</param>
    /// <param name="sources">Sources with waveforms.</param>
    /// <param name="icVector">The <c>.ic</c> voltages as a solution vector (uic start; zeros elsewhere).</param>
    /// <param name="recorder">Receives every accepted point at or after TSTART.</param>
    /// <param name="failureTime">Time of the step that failed, when the exit is not <see cref="TransientExit.Completed"/>.</param>
    /// <returns>The exit and the last Newton result.</returns>
    public (TransientExit Exit, NewtonResult Newton) SolveTransient(TransientSettings settings, IReadOnlyList<ITimeDependentSource> sources, double[] icVector, TransientRecorder recorder, out double failureTime)
    {
        SimulationOptions o = Options;
        LoadContext ctx = Context;
        Integrator ig = ctx.Integrator;
        failureTime = 0;
        double stop = settings.Stop;
        double maxStep = settings.LargestStep();
        double delmin = 1e-11 * maxStep;
        double minBreak = 5e-5 * maxStep;
        foreach (ITimeDependentSource s in sources)
        {
            s.BeginTransient(settings.Step, stop);
        }

        // ngspice sets a breakpoint at TSTEP under uic "to reduce ringing of current in devices".
        double[] breaks = Breakpoints(sources, stop, minBreak, settings.UseInitialConditions ? settings.Step : null);
        // TSTOP/TMAX points at least; beyond a modest size the buffers simply grow (a huge TSTOP/TMAX must not
        // reserve gigabytes up front).
        recorder.Reserve((int)Math.Min(1 << 16, ((stop - settings.Start) / maxStep) + breaks.Length + 16));
        ig.Method = o.Method;
        int maxOrder = Integrator.MaxOrder;
        try
        {
            ctx.Analysis = AnalysisMode.TransientOperatingPoint;
            ctx.UseInitialConditions = settings.UseInitialConditions;
            ctx.Time = 0;
            ctx.SourceFactor = 1;
            NewtonResult r;
            if (settings.UseInitialConditions)
            {
                // ngspice's NIiter under MODETRANOP|MODEUIC: the .ic vector is the solution; one load sets the charges.
                icVector.CopyTo(_x, 0);
                icVector.CopyTo(_xOld, 0);
                LoadOnce(LoadMode.InitJunction);
                r = new NewtonResult(NewtonExit.Converged, 0, -1, null);
            }
            else
            {
                r = SolveOperatingPoint();
            }

            if (!r.Converged)
            {
                return (TransientExit.OperatingPointFailed, r);
            }

            double[] accepted = (double[])_x.Clone();
            if (settings.Start <= 0 && !settings.UseInitialConditions)
            {
                // Under uic ngspice writes no t = 0 row: the first stored point is the first time step.
                recorder.Add(0, accepted);
            }

            foreach (IDevice d in _devices)
            {
                d.StartHistory();
            }

            ig.CopyPresentToHistory();
            ig.Order = 1;
            Array.Fill(ig.DeltaOld, maxStep);
            double time = 0;
            double delta = Math.Min(stop / 100, settings.Step) / 10;
            double saveDelta = stop / 50;
            bool first = true;
            int bp = 0;
            ctx.Analysis = AnalysisMode.Transient;
            while (true)
            {
                // resume: choose the next step.
                delta = Math.Min(delta, maxStep);
                if (time == breaks[bp] || breaks[bp] - time <= delmin)
                {
                    ig.Order = 1;
                    double next = bp + 1 < breaks.Length ? breaks[bp + 1] - breaks[bp] : saveDelta;
                    delta = Math.Min(delta, 0.1 * Math.Min(saveDelta, next));
                    if (first)
                    {
                        delta /= 10;
                    }
                }

                while (bp < breaks.Length - 1 && breaks[bp] <= time + minBreak)
                {
                    bp++;
                }

                if (time + delta > breaks[bp])
                {
                    saveDelta = delta;
                    delta = breaks[bp] - time;
                }

                for (int i = ig.DeltaOld.Length - 2; i >= 0; i--)
                {
                    ig.DeltaOld[i + 1] = ig.DeltaOld[i];
                }

                ig.DeltaOld[0] = delta;
                ig.Rotate();
                while (true)
                {
                    double oldDelta = delta;
                    time += delta;
                    ig.DeltaOld[0] = delta;
                    ig.ComputeCoefficients();
                    ctx.Time = time;
                    ctx.PredictFactor = delta / ig.DeltaOld[1];
                    accepted.CopyTo(_xOld, 0);
                    r = Iterate(o.Itl4, first ? LoadMode.InitTransient : LoadMode.Predict, 0);
                    if (first)
                    {
                        ig.FillOlderFromLast();
                    }

                    bool accept = false;
                    if (!r.Converged)
                    {
                        time -= delta;
                        delta /= 8;
                        ig.Order = 1;
                    }
                    else if (first)
                    {
                        first = false;
                        accept = true;
                    }
                    else
                    {
                        double newDelta = ig.Truncate(delta, o);
                        if (newDelta > 0.9 * delta)
                        {
                            if (ig.Order == 1 && maxOrder > 1)
                            {
                                ig.Order = 2;
                                newDelta = ig.Truncate(delta, o);
                                if (newDelta <= 1.05 * delta)
                                {
                                    ig.Order = 1;
                                }
                            }

                            delta = newDelta;
                            accept = true;
                        }
                        else
                        {
                            time -= delta;
                            delta = newDelta;
                        }
                    }

                    if (accept)
                    {
                        break;
                    }

                    if (delta <= delmin)
                    {
                        if (oldDelta > delmin)
                        {
                            delta = delmin;
                        }
                        else
                        {
                            failureTime = time + delta;
                            return (TransientExit.TimestepTooSmall, r);
                        }
                    }
                }

                // nextTime: the point is accepted.
                _x.CopyTo(accepted, 0);
                foreach (IDevice d in _devices)
                {
                    d.AcceptPoint();
                }

                if (time > breaks[bp] && bp < breaks.Length - 1)
                {
                    bp++;
                }

                if (time >= settings.Start)
                {
                    recorder.Add(time, accepted);
                }

                if (Math.Abs(time - stop) < minBreak || time > stop)
                {
                    return (TransientExit.Completed, r);
                }
            }
        }
        finally
        {
            ctx.Analysis = AnalysisMode.Dc;
            ctx.UseInitialConditions = false;
            ctx.Time = 0;
            ctx.PredictFactor = 1;
        }
    }

    /// <summary>Sorted breakpoints 0, source corners (and <paramref name="extra"/>) and TSTOP; points within minBreak of
    /// the previous one are dropped.</summary>
    private static double[] Breakpoints(IReadOnlyList<ITimeDependentSource> sources, double stop, double minBreak, double? extra)
    {
        var all = new List<double>();
        if (extra is double e && e < stop)
        {
            all.Add(e);
        }

        foreach (ITimeDependentSource s in sources)
        {
            s.AddBreakpoints(all, stop);
        }

        all.Sort();
        var merged = new List<double> { 0 };
        foreach (double t in all)
        {
            if (t - merged[^1] > minBreak && stop - t > minBreak)
            {
                merged.Add(t);
            }
        }

        merged.Add(stop);
        return [.. merged];
    }

    /// <summary>One device load at the present solution without solving (the uic start).</summary>
    private void LoadOnce(LoadMode mode)
    {
        LoadContext ctx = Context;
        ctx.Mode = mode;
        ctx.Solution = _xOld;
        ctx.NonConvergence = 0;
        Array.Clear(ctx.Matrix);
        Array.Clear(ctx.Rhs);
        foreach (IDevice d in _devices)
        {
            d.Load(ctx);
        }
    }
}
