namespace DnnOpt.Spice.Devices.Sources.Waveforms;

/// <summary>
/// <c>SFFM(VO VA FC MDI FS)</c> (ngspice manual 4.1.5): VO + VA sin(2π FC t + MDI sin(2π FS t)); FC and FS default
/// to 1/TSTOP.
/// </summary>
internal sealed class SffmWaveform(double offset, double amplitude, double carrier, double modulationIndex, double signal) : IWaveform
{
    public double Value(double time) =>
        offset + (amplitude * Math.Sin((2 * Math.PI * carrier * time) + (modulationIndex * Math.Sin(2 * Math.PI * signal * time))));

    public void AddBreakpoints(List<double> breakpoints, double stop)
    {
    }
}
