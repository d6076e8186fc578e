namespace DnnOpt.Spice.Devices.Diodes;

/// <summary>
/// Small-signal diode (SPICE3 DIOacLoad): series conductance area·m/RS between anode and the internal node, junction
/// conductance gd and capacitance C = TT gd + Cdep(vd) between the internal node and the cathode, all at the
/// operating point of the last load.
/// </summary>
internal sealed partial class Diode : IFrequencyDevice
{
    public void LoadAc(AcLoadContext context)
    {
        if (HasSeriesResistance)
        {
            _series.Load(context.Real, _gspr);
        }

        _junction.Load(context.Real, _gd);
        _junction.Load(context.Imaginary, OperatingPointCharge().Capacitance);
    }
}
