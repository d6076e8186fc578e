namespace DnnOpt.Spice.Devices.Sources.Waveforms;

/// <summary>
/// <c>PULSE(V1 V2 TD TR TF PW PER)</c> (ngspice manual 4.1.1): V1 until TD, a linear rise to V2 over TR, V2 for PW,
/// a linear fall over TF, V1 for the rest of the period PER, repeated. TR and TF default to (and replace a zero by)
/// the transient step, PW and PER default to the stop time, as ngspice does.
/// </summary>
internal sealed class PulseWaveform : IWaveform
{
    private readonly double _v1;
    private readonly double _v2;
    private readonly double _delay;
    private readonly double _rise;
    private readonly double _fall;
    private readonly double _width;
    private readonly double _period;

    public PulseWaveform(double v1, double v2, double delay, double rise, double fall, double width, double period)
    {
        _v1 = v1;
        _v2 = v2;
        _delay = delay;
        _rise = rise;
        _fall = fall;
        _width = width;
        _period = period;
    }

    public double Value(double time)
    {
        double t = time - _delay;
        if (t > 0 && _period > 0 && t >= _period)
        {
            // Position inside the current period.
            t -= _period * Math.Floor(t / _period);
        }

        if (t <= 0 || t >= _rise + _width + _fall)
        {
            return _v1;
        }

        if (t >= _rise && t <= _rise + _width)
        {
            return _v2;
        }

        return t < _rise
            ? _v1 + ((_v2 - _v1) * t / _rise)
            : _v2 + ((_v1 - _v2) * (t - (_rise + _width)) / _fall);
    }

    public void AddBreakpoints(List<double> breakpoints, double stop)
    {
        double[] corners = [0, _rise, _rise + _width, _rise + _width + _fall];
        for (double start = _delay; start <= stop; start += _period)
        {
            foreach (double c in corners)
            {
                double t = start + c;
                if (t > 0 && t <= stop)
                {
                    breakpoints.Add(t);
                }
            }

            if (!(_period > 0) || breakpoints.Count > Circuits.Circuit.MaxSweepPoints)
            {
                break;
            }
        }
    }
}
