namespace DnnOpt.Spice.Devices.Sources.Waveforms;

/// <summary>
/// <c>PWL(T1 V1 T2 V2 ...)</c> (ngspice manual 4.1.4): V1 before T1, linear interpolation between the points, the
/// last value after the last point. Every Ti is a breakpoint.
/// </summary>
internal sealed class PwlWaveform : IWaveform
{
    private readonly double[] _times;
    private readonly double[] _values;

    /// <summary>Creates the function from strictly increasing times.</summary>
    /// <param name="times">Point times in seconds, non-decreasing.</param>
    /// <param name="values">Values at those times.</param>
    public PwlWaveform(double[] times, double[] values)
    {
        _times = times;
        _values = values;
    }

    public double Value(double time)
    {
        if (time <= _times[0])
        {
            return _values[0];
        }

        if (time >= _times[^1])
        {
            return _values[^1];
        }

        int hi = Array.BinarySearch(_times, time);
        if (hi >= 0)
        {
            return _values[hi];
        }

        hi = ~hi;
        int lo = hi - 1;
        double span = _times[hi] - _times[lo];
        return span <= 0 ? _values[hi] : _values[lo] + ((_values[hi] - _values[lo]) * (time - _times[lo]) / span);
    }

    public void AddBreakpoints(List<double> breakpoints, double stop)
    {
        foreach (double t in _times)
        {
            if (t > 0 && t <= stop)
            {
                breakpoints.Add(t);
            }
        }
    }
}
