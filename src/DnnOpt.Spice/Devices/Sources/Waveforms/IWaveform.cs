namespace DnnOpt.Spice.Devices.Sources.Waveforms;

/// <summary>
/// The time function of an independent source in a transient analysis (ngspice manual, "Independent Sources"):
/// its value at a time and the corners where its slope jumps, which become transient breakpoints.
/// </summary>
internal interface IWaveform
{
    /// <summary>The source value (volts or amperes) at <paramref name="time"/> seconds.</summary>
    /// <param name="time">Time in seconds (≥ 0; 0 is the value the transient operating point uses).</param>
    /// <returns>The value.</returns>
    double Value(double time);

    /// <summary>Adds every slope discontinuity in (0, <paramref name="stop"/>] to <paramref name="breakpoints"/>.</summary>
    /// <param name="breakpoints">Collected breakpoints (unsorted; the caller sorts and merges).</param>
    /// <param name="stop">Final time of the analysis in seconds.</param>
    void AddBreakpoints(List<double> breakpoints, double stop);
}
