namespace DnnOpt.Spice.Analyses;

/// <summary>
/// One transient analysis as ngspice runs <c>.tran tstep tstop [tstart [tmax]] [uic]</c>.
/// </summary>
/// <param name="Step">TSTEP in seconds: the printing increment, which also bounds the first step and (when it is
/// below (TSTOP - TSTART)/50) the largest step.</param>
/// <param name="Stop">TSTOP in seconds.</param>
/// <param name="Start">TSTART in seconds: points before it are computed but not kept.</param>
/// <param name="MaxStep">TMAX in seconds, or null for ngspice's rule min(TSTEP, (TSTOP - TSTART)/50) (or
/// <see cref="SimulationOptions.MaxStep"/> when set).</param>
/// <param name="UseInitialConditions"><c>uic</c>: no operating point; start from <c>.ic</c> node voltages and device
/// <c>ic=</c> values.</param>
public sealed record TransientSettings(double Step, double Stop, double Start = 0, double? MaxStep = null, bool UseInitialConditions = false)
{
    /// <summary>Checks the times (with <c>.options maxstep</c> in <see cref="MaxStep"/> when TMAX is not given).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A time is not finite, TSTEP or TSTOP is not positive, TSTART is
    /// outside [0, TSTOP), TMAX is not positive, or TSTOP would take more than <see cref="MaxTimeSteps"/> steps.</exception>
    public void Validate()
    {
        if (!(Step > 0) || !double.IsFinite(Step))
        {
            throw new ArgumentOutOfRangeException(nameof(Step), "tstep must be positive and finite");
        }

        if (!(Stop > 0) || !double.IsFinite(Stop))
        {
            throw new ArgumentOutOfRangeException(nameof(Stop), "tstop must be positive and finite");
        }

        if (!(Start >= 0) || !(Start < Stop))
        {
            throw new ArgumentOutOfRangeException(nameof(Start), "tstart must be in [0, tstop)");
        }

        if (MaxStep is double m && (!(m > 0) || !double.IsFinite(m)))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStep), "tmax must be positive and finite");
        }

        // Every step up to TSTOP is at most TMAX long, so TSTOP/TMAX steps are certain; a typo in a suffix (100 for
        // 100n) would otherwise run for hours and keep every point until memory runs out.
        double largestStep = LargestStep();
        if (Stop / largestStep > MaxTimeSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(Stop), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"tstop {Stop:G6} s with steps of at most {largestStep:G6} s needs more than {MaxTimeSteps} time steps"));
        }
    }

    /// <summary>
    /// The largest step the integration may take: TMAX (the circuit puts <c>.options maxstep</c> there when the
    /// analysis gives none), else ngspice's min(TSTEP, (TSTOP - TSTART)/50).
    /// </summary>
    /// <returns>The step in seconds.</returns>
    public double LargestStep() => MaxStep ?? (Step < (Stop - Start) / 50 ? Step : (Stop - Start) / 50);

    /// <summary>The most time steps a transient analysis may be certain to need (TSTOP over the largest step).</summary>
    public const int MaxTimeSteps = 10_000_000;
}
