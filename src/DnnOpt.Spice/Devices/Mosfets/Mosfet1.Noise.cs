namespace DnnOpt.Spice.Devices.Mosfets;

/// <summary>
/// Level-1 MOSFET noise as SPICE3 (ngspice MOS1noise): thermal noise of RD and RS, channel thermal noise with current
/// density 4kT·(2/3)|gm| = 8kT|gm|/3 between the internal drain and source, and flicker noise
/// KF·|Id|^AF / (f·W·Leff·Cox'²) (Cox' the oxide capacitance per area; 3.9ε0/1e-7 m when TOX is not given, as ngspice
/// assumes), Id being the drain current of the operating point.
/// </summary>
internal sealed partial class Mosfet1 : INoiseDevice
{
    public int NoiseSourceCount => 4;

    public void LoadNoise(NoiseContext context, int firstSource)
    {
        double[] d = context.Densities;
        d[firstSource] = _drainConductance != 0 ? context.Thermal(_dp, _d, _drainConductance, _dtemp) : 0;
        d[firstSource + 1] = _sourceConductance != 0 ? context.Thermal(_sp, _s, _sourceConductance, _dtemp) : 0;
        d[firstSource + 2] = context.Thermal(_dp, _sp, 2.0 / 3.0 * Math.Abs(_gm), _dtemp);
        if (_model.Kf == 0)
        {
            d[firstSource + 3] = 0;
            return;
        }

        double cox = _model.OxideCapacitance != 0 ? _model.OxideCapacitance : 3.9 * 8.854214871e-12 / 1e-7;
        double id = (_mode * _cdrain) - _cbd;
        double leff = _l - (2 * _model.Ld);
        d[firstSource + 3] = context.Gain(_dp, _sp) * _model.Kf * Math.Exp(_model.Af * Math.Log(Math.Max(Math.Abs(id), 1e-38)))
            / (context.Frequency * _w * leff * cox * cox);
    }
}
