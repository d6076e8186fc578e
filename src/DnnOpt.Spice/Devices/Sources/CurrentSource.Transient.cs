using DnnOpt.Spice.Devices.Sources.Waveforms;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices.Sources;

/// <summary>The time-dependent value of the source (transient analysis).</summary>
internal sealed partial class CurrentSource
{
    private readonly SourceLocation _location;
    private IWaveform? _waveform;

    public void BeginTransient(double step, double stop)
    {
        _waveform = Waveform is (string kind, double[] args) ? Waveforms.Waveform.Create(kind, args, step, stop, _location, Name) : null;
    }

    public void AddBreakpoints(List<double> breakpoints, double stop) => _waveform?.AddBreakpoints(breakpoints, stop);

    /// <summary>
    /// The value a load uses: the DC value in DC analyses; in a transient (and its operating point, as ngspice's
    /// MODETRANOP) the waveform at the present time when the source has one.
    /// </summary>
    private double Value(LoadContext context) =>
        context.Analysis != AnalysisMode.Dc && _waveform is not null ? _waveform.Value(context.Time) * _multiplier : DcValue;
}
