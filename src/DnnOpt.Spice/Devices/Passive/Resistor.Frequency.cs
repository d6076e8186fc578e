namespace DnnOpt.Spice.Devices.Passive;

/// <summary>Small-signal stamp of the resistor: its conductance at the circuit temperature.</summary>
internal sealed partial class Resistor : IFrequencyDevice
{
    public void LoadAc(AcLoadContext context) => _stamp.Load(context.Real, _g);
}
