namespace DnnOpt.Spice.Devices.Passive;

/// <summary>Thermal noise of the resistor: current density 4kTG (ngspice RESnoise, no flicker term here).</summary>
internal sealed partial class Resistor : INoiseDevice
{
    public int NoiseSourceCount => 1;

    public void LoadNoise(NoiseContext context, int firstSource) =>
        context.Densities[firstSource] = context.Thermal(_p, _n, _g, _dtemp);
}
