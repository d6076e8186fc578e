namespace DnnOpt.Spice.Devices.Mosfets;

/// <summary>
/// Level-1 MOSFET noise as SPICE3 (ngspice MOS1noise): thermal noise of RD and RS, channel thermal noise with current
/// density 4kT·(2/3)|gm| = 8kT|gm|/3 between the internal drain and source, and flicker noise
/// KF·|Id|^AF / (f·W·Leff·Cox'²) (Cox' the oxide capacitance per area; 3.9ε0/1e-7 m when TOX is not given, as ngspice
/// assumes), Id being the drain current of the operating point.
/// </summary>
internal sealed partial class Mosfet1 : INoiseDevice
{
    private double _rdNoise;
    private double _rsNoise;
    private double _channelNoise;
    private double _flickerNoise;

    public int NoiseSourceCount => 4;

    public void PrepareNoise(NoiseContext context)
    {
        _rdNoise = _drainConductance != 0 ? context.Thermal(_drainConductance, _dtemp) : 0;
        _rsNoise = _sourceConductance != 0 ? context.Thermal(_sourceConductance, _dtemp) : 0;
        _channelNoise = context.Thermal(2.0 / 3.0 * Math.Abs(_gm), _dtemp);
        _flickerNoise = 0;
        if (_model.Kf != 0)
        {
            double cox = _model.OxideCapacitance != 0 ? _model.OxideCapacitance : 3.9 * 8.854214871e-12 / 1e-7;
            double id = (_mode * _cdrain) - _cbd;
            double leff = _l - (2 * _model.Ld);
            _flickerNoise = _model.Kf * Math.Exp(_model.Af * Math.Log(Math.Max(Math.Abs(id), 1e-38))) / (_w * leff * cox * cox);
        }
    }

    public void LoadNoise(NoiseContext context, int firstSource)
    {
        double[] d = context.Densities;
        double channel = context.Gain(_dp, _sp);
        d[firstSource] = _rdNoise == 0 ? 0 : _rdNoise * context.Gain(_dp, _d);
        d[firstSource + 1] = _rsNoise == 0 ? 0 : _rsNoise * context.Gain(_sp, _s);
        d[firstSource + 2] = _channelNoise * channel;
        d[firstSource + 3] = _flickerNoise * channel / context.Frequency;
    }
}
