using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices.Sources;

/// <summary>
/// The parts of an independent V or I source that the DC analyses use and that part 2 will use: the DC value (the
/// explicit <c>dc</c> value, else the waveform's value at t = 0, as ngspice does), AC magnitude/phase and waveform.
/// </summary>
internal static class SourceValues
{
    public static double DcValue(ResolvedElement e)
    {
        if (e.Value is double v)
        {
            return v;
        }

        if (e.Waveform is not (string kind, double[] a))
        {
            return 0;
        }

        double Arg(int i) => i < a.Length ? a[i] : 0;
        return kind switch
        {
            "pulse" or "exp" or "sin" or "sffm" => Arg(0) + (kind == "sin" && a.Length > 5 ? Arg(1) * Math.Sin(Arg(5) * Math.PI / 180) : 0),
            "pwl" => a.Length >= 2 ? Arg(1) : 0,
            _ => throw new SpiceParseException(e.Location, $"{e.LocalName}: a '{kind}' source needs an explicit dc value for DC analyses"),
        };
    }
}

/// <summary>Contract shared by V and I sources so DC sweeps can set their value.</summary>
internal interface ISweepableSource : IDevice
{
    /// <summary>The DC value in volts or amperes, before source stepping.</summary>
    double DcValue { get; set; }
}
