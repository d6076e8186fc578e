namespace DnnOpt.Spice.Devices.Passive;

/// <summary>Thermal noise of the resistor: current density 4kTG (ngspice RESnoise, no flicker term here).</summary>
internal sealed partial class Resistor : INoiseDevice
{
    private double _thermalNoise;

    public int NoiseSourceCount => 1;

    public void PrepareNoise(NoiseContext context) => _thermalNoise = context.Thermal(_g, _dtemp);

    public void LoadNoise(NoiseContext context, int firstSource) =>
        context.Densities[firstSource] = _thermalNoise * context.Gain(_p, _n);
}
