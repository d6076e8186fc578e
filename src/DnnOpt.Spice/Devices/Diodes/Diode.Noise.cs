namespace DnnOpt.Spice.Devices.Diodes;

/// <summary>
/// Diode noise as SPICE3 (ngspice DIOnoise): thermal noise of RS (4kT·area·m/RS) between anode and the internal node,
/// shot noise 2q|Id| and flicker noise m·KF·(|Id|/m)^AF / f across the junction, Id being the junction current of the
/// operating point.
/// </summary>
internal sealed partial class Diode : INoiseDevice
{
    private double _rsNoise;
    private double _shotNoise;
    private double _flickerNoise;

    public int NoiseSourceCount => 3;

    public void PrepareNoise(NoiseContext context)
    {
        _rsNoise = HasSeriesResistance ? context.Thermal(RsNoiseConductance, _dtemp) : 0;
        _shotNoise = NoiseContext.Shot(_id);
        _flickerNoise = FlickerCoefficient == 0 ? 0 : _m * FlickerCoefficient * Math.Exp(FlickerExponent * Math.Log(Math.Max(Math.Abs(_id) / _m, 1e-38)));
    }

    public void LoadNoise(NoiseContext context, int firstSource)
    {
        double[] d = context.Densities;
        double junction = context.Gain(_internal, _cathode);
        d[firstSource] = _rsNoise == 0 ? 0 : _rsNoise * context.Gain(_internal, _anode);
        d[firstSource + 1] = _shotNoise * junction;
        d[firstSource + 2] = _flickerNoise * junction / context.Frequency;
    }

    /// <summary>
    /// The conductance ngspice 39 uses for the RS thermal noise: its series conductance (area·m/RS) times area and
    /// m again, and once more m (measured: (area·m)²·m/RS reproduces ngspice 39 for (area, m) = (2, 1), (2, 2), (1, 3), (3, 1), (2, 3); with area = m = 1
    /// it is the physical 1/RS). Kept so the spectra match the oracle; the DC and AC series resistance is RS/(area·m).
    /// </summary>
    private double RsNoiseConductance => _gspr * _area * _m * _m;
}
