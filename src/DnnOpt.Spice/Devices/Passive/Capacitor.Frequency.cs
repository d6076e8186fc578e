namespace DnnOpt.Spice.Devices.Passive;

/// <summary>Small-signal stamp of the capacitor: admittance jωC between its nodes.</summary>
internal sealed partial class Capacitor : IFrequencyDevice
{
    public bool IsNoiseless => true;

    public void LoadAc(AcLoadContext context) => Stamp.Load(context.Imaginary, Capacitance);
}
