namespace DnnOpt.Spice.Devices.Sources.Waveforms;

/// <summary>
/// <c>SIN(VO VA FREQ TD THETA PHASE)</c> (ngspice manual 4.1.2): VO + VA sin(φ) before TD, then
/// VO + VA exp(-(t - TD) THETA) sin(2π FREQ (t - TD) + φ) with φ = PHASE in degrees. FREQ defaults to 1/TSTOP.
/// </summary>
internal sealed class SineWaveform : IWaveform
{
    private readonly double _offset;
    private readonly double _amplitude;
    private readonly double _frequency;
    private readonly double _delay;
    private readonly double _damping;
    private readonly double _phase;

    public SineWaveform(double offset, double amplitude, double frequency, double delay, double damping, double phaseDegrees)
    {
        _offset = offset;
        _amplitude = amplitude;
        _frequency = frequency;
        _delay = delay;
        _damping = damping;
        _phase = phaseDegrees * Math.PI / 180;
    }

    public double Value(double time)
    {
        double t = time - _delay;
        return t <= 0
            ? _offset + (_amplitude * Math.Sin(_phase))
            : _offset + (_amplitude * Math.Sin((2 * Math.PI * _frequency * t) + _phase) * Math.Exp(-t * _damping));
    }

    /// <summary>None: ngspice 39 sets no breakpoints for SIN (not even at TD), and neither does this.</summary>
    public void AddBreakpoints(List<double> breakpoints, double stop)
    {
    }
}
