namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// Noise sources of the BSIM3 instance at its operating point (<see cref="Bsim3Noise"/>): thermal noise of rd and rs
/// (rsh·nrd, rsh·nrs) between the external and internal terminals, channel thermal and flicker noise between the
/// internal drain and source, each a current-noise density in A²/Hz for the whole instance (m included), in the order
/// ngspice names them (<c>.rd .rs .id .1overf</c>).
/// </summary>
internal sealed partial class Bsim3
{
    /// <summary>Names of the noise sources, in the order <see cref="NoiseDensities"/> writes them.</summary>
    public static readonly string[] NoiseSourceNames = ["rd", "rs", "id", "1overf"];

    /// <summary>The noise sources' node pairs (positive, negative) as unknown indices (-1 = ground).</summary>
    public (int P, int N)[] NoiseNodes => [(_dp, _d), (_sp, _sNode), (_dp, _sp), (_dp, _sp)];

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
        Bsim3Charges.Intrinsic q = Bsim3Charges.Evaluate(_model, _s, _channel, _channelVds, _channelVbs);
        return new Bsim3Noise.OperatingPoint(
            _cd, _gm, _gds, _gmbs, _vds, _vdseff, _vgsteff, _channel.Abulk.V, _ueff, _channel.Rds.V, q.Qinv);
    }
}
