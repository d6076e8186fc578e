namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// Small-signal BSIM3 (ngspice's BSIM3acLoad, quasi-static): the DC Jacobian at the operating point as the real part
/// (gm, gds, gmbs in the forward or reverse orientation, substrate-current conductances, junction and rsh
/// conductances), and as the jω part the capacitance matrix of the charge model plus overlaps and junctions, in the
/// same twelve-coefficient form the transient companion uses.
/// </summary>
internal sealed partial class Bsim3 : IFrequencyDevice
{
    public void LoadAc(AcLoadContext context)
    {
        if (_mode >= 0)
        {
            double gbdpsp = -(_gbgs + _gbds + _gbbs);
            StampConductances(context.Real, _gm, _gmbs, _gm + _gmbs, 0.0, -_gbds, _gbds + _gbgs + _gbbs, _gbgs, _gbds, _gbbs, gbdpsp, 0.0, 0.0, 0.0, 0.0);
        }
        else
        {
            double gbspdp = -(_gbgs + _gbds + _gbbs);
            StampConductances(context.Real, -_gm, -_gmbs, 0.0, _gm + _gmbs, _gbds + _gbgs + _gbbs, -_gbds, 0.0, 0.0, 0.0, 0.0, _gbgs, gbspdp, _gbbs, _gbds);
        }

        ref readonly Capacitances c = ref CurrentCapacitances();
        StampCapacitive(context.Imaginary, CapacitiveStamp.From(c, _s.CgboL, _mode, 1.0));
    }
}
