namespace DnnOpt.Spice.Devices.Sources;

/// <summary>An independent source whose transient value follows a <see cref="Waveforms.IWaveform"/>.</summary>
internal interface ITimeDependentSource : IDevice
{
    /// <summary>Builds the source's time function with the analysis's defaults (TSTEP, TSTOP).</summary>
    /// <param name="step">The <c>.tran</c> step in seconds.</param>
    /// <param name="stop">The stop time in seconds.</param>
    void BeginTransient(double step, double stop);

    /// <summary>Adds the waveform's corners in (0, stop] to <paramref name="breakpoints"/>.</summary>
    /// <param name="breakpoints">Collected breakpoints.</param>
    /// <param name="stop">The stop time in seconds.</param>
    void AddBreakpoints(List<double> breakpoints, double stop);
}
