namespace DnnOpt.Spice.Devices.Mosfets;

/// <summary>
/// Small-signal level-1 MOSFET (SPICE3 MOS1acLoad): the DC Jacobian at the operating point (gm, gds, gmbs in the
/// device's forward or reverse orientation, gbd, gbs, RD/RS conductances) as the real part, and as the jω part the
/// gate capacitances Cgs, Cgd, Cgb (Meyer at the operating point plus overlaps) and the bulk junction capacitances
/// Cbd, Cbs between their terminals.
/// </summary>
internal sealed partial class Mosfet1 : IFrequencyDevice
{
    public void LoadAc(AcLoadContext context)
    {
        double[] g = context.Real;
        double[] c = context.Imaginary;
        LoadConductances(g);
        Mosfet1Capacitances caps = OperatingPointCapacitances();
        double cgs = caps.Cgs;
        double cgd = caps.Cgd;
        double cgb = caps.Cgb;
        double cbd = caps.Cbd;
        double cbs = caps.Cbs;
        Add(c, _gG, cgd + cgs + cgb);
        Add(c, _bB, cgb + cbd + cbs);
        Add(c, _dpDp, cgd + cbd);
        Add(c, _spSp, cgs + cbs);
        Add(c, _gB, -cgb);
        Add(c, _gDp, -cgd);
        Add(c, _gSp, -cgs);
        Add(c, _bG, -cgb);
        Add(c, _bDp, -cbd);
        Add(c, _bSp, -cbs);
        Add(c, _dpG, -cgd);
        Add(c, _dpB, -cbd);
        Add(c, _spG, -cgs);
        Add(c, _spB, -cbs);
    }

    /// <summary>The conductance part of the DC stamp (no right-hand side) at the last load's operating point.</summary>
    private void LoadConductances(double[] a)
    {
        double xnrm = _mode == 1 ? 1 : 0;
        double xrev = 1 - xnrm;
        if (_drainConductance != 0)
        {
            _rdStamp.Load(a, _drainConductance);
        }

        if (_sourceConductance != 0)
        {
            _rsStamp.Load(a, _sourceConductance);
        }

        double gmSign = xnrm - xrev;
        Add(a, _bB, _gbd + _gbs);
        Add(a, _dpDp, _gds + _gbd + (xrev * (_gm + _gmbs)));
        Add(a, _spSp, _gds + _gbs + (xnrm * (_gm + _gmbs)));
        Add(a, _bDp, -_gbd);
        Add(a, _bSp, -_gbs);
        Add(a, _dpG, gmSign * _gm);
        Add(a, _dpB, -_gbd + (gmSign * _gmbs));
        Add(a, _dpSp, -_gds - (xnrm * (_gm + _gmbs)));
        Add(a, _spG, -(gmSign * _gm));
        Add(a, _spB, -_gbs - (gmSign * _gmbs));
        Add(a, _spDp, -_gds - (xrev * (_gm + _gmbs)));
    }
}
