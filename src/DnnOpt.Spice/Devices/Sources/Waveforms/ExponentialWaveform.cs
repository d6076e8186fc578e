namespace DnnOpt.Spice.Devices.Sources.Waveforms;

/// <summary>
/// <c>EXP(V1 V2 TD1 TAU1 TD2 TAU2)</c> (ngspice manual 4.1.3): V1 until TD1, then
/// V1 + (V2 - V1)(1 - exp(-(t - TD1)/TAU1)), and after TD2 the term (V1 - V2)(1 - exp(-(t - TD2)/TAU2)) is added.
/// Defaults: TD1 = 0, TAU1 = TSTEP, TD2 = TD1 + TSTEP, TAU2 = TSTEP.
/// </summary>
internal sealed class ExponentialWaveform(double v1, double v2, double delay1, double tau1, double delay2, double tau2) : IWaveform
{
    public double Value(double time)
    {
        if (time <= delay1)
        {
            return v1;
        }

        double v = v1 + ((v2 - v1) * (1 - Math.Exp(-(time - delay1) / tau1)));
        if (time > delay2)
        {
            v += (v1 - v2) * (1 - Math.Exp(-(time - delay2) / tau2));
        }

        return v;
    }

    /// <summary>None: ngspice 39 sets no breakpoints for EXP (its corners at TD1 and TD2 are found by the step
    /// control), and neither does this, so both take the same time points.</summary>
    public void AddBreakpoints(List<double> breakpoints, double stop)
    {
    }
}
