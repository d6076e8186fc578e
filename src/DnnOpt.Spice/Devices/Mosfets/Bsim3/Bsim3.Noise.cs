namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// Noise of the BSIM3 instance (ngspice's BSIM3noise, <see cref="Bsim3Noise"/>): thermal noise of rd and rs
/// (rsh·nrd, rsh·nrs) between the external and internal terminals, channel thermal and flicker noise between the
/// internal drain and source, each a current-noise density in A²/Hz for the whole instance (m included), in the order
/// ngspice names them (<c>.rd .rs .id .1overf</c>).
/// </summary>
internal sealed partial class Bsim3 : INoiseDevice
{
    private double _rdNoise;
    private double _rsNoise;
    private double _channelNoise;
    private Bsim3Noise.OperatingPoint _noiseOp;

    public int NoiseSourceCount => 4;

    public void PrepareNoise(NoiseContext context)
    {
        _noiseOp = NoiseOperatingPoint();
        _rdNoise = Bsim3Noise.Thermal(_drainConductance * _m, context.Temperature);
        _rsNoise = Bsim3Noise.Thermal(_sourceConductance * _m, context.Temperature);
        _channelNoise = Bsim3Noise.ChannelThermal(_model, _s, _noiseOp, _m, context.Temperature);
    }

    public void LoadNoise(NoiseContext context, int firstSource)
    {
        double[] d = context.Densities;
        double channel = context.Gain(_dp, _sp);
        d[firstSource] = _rdNoise == 0 ? 0 : _rdNoise * context.Gain(_dp, _d);
        d[firstSource + 1] = _rsNoise == 0 ? 0 : _rsNoise * context.Gain(_sp, _sNode);
        d[firstSource + 2] = _channelNoise * channel;
        d[firstSource + 3] = Bsim3Noise.Flicker(_model, _s, _noiseOp, _m, context.Frequency, context.Temperature) * channel;
    }

    /// <summary>Writes the four current-noise densities (A²/Hz) at <paramref name="frequency"/> (Hz), temperature in K.</summary>
    public void NoiseDensities(double frequency, double temperature, Span<double> densities)
    {
        Bsim3Noise.OperatingPoint op = NoiseOperatingPoint();
        densities[0] = Bsim3Noise.Thermal(_drainConductance * _m, temperature);
        densities[1] = Bsim3Noise.Thermal(_sourceConductance * _m, temperature);
        densities[2] = Bsim3Noise.ChannelThermal(_model, _s, op, _m, temperature);
        densities[3] = Bsim3Noise.Flicker(_model, _s, op, _m, frequency, temperature);
    }

    private Bsim3Noise.OperatingPoint NoiseOperatingPoint()
    {
        ref readonly Bsim3Channel.Result channel = ref Channel();
        Bsim3Charges.Intrinsic q = Bsim3Charges.Evaluate(_model, _s, channel, _channelVds, _channelVbs);
        return new Bsim3Noise.OperatingPoint(
            _cd, _gm, _gds, _gmbs, _vds, _vdseff, _vgsteff, channel.Abulk.V, _ueff, channel.Rds.V, q.Qinv, channel.AbulkNoise);
    }
}
