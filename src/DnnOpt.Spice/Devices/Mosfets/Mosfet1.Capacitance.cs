using System.Runtime.CompilerServices;
using DnnOpt.Spice.Algebra;

namespace DnnOpt.Spice.Devices.Mosfets;

/// <summary>Capacitances of a level-1 MOSFET at one bias point, in farads, and the bulk junction charges in coulombs.</summary>
/// <param name="Cgs">Gate-source: Meyer plus overlap CGSO·m·W.</param>
/// <param name="Cgd">Gate-drain: Meyer plus overlap CGDO·m·W.</param>
/// <param name="Cgb">Gate-bulk: Meyer plus overlap CGBO·m·Leff.</param>
/// <param name="Cbd">Bulk-drain junction (bottom plus sidewall).</param>
/// <param name="Cbs">Bulk-source junction (bottom plus sidewall).</param>
/// <param name="Qbd">Bulk-drain depletion charge.</param>
/// <param name="Qbs">Bulk-source depletion charge.</param>
internal readonly record struct Mosfet1Capacitances(double Cgs, double Cgd, double Cgb, double Cbd, double Cbs, double Qbd, double Qbs);

/// <summary>
/// Charge storage of the level-1 MOSFET as SPICE3 defines it (ngspice manual "MOSFET level 1"; Meyer, RCA Review
/// 1971): the intrinsic gate capacitances of Meyer's model as functions of the terminal voltages, constant overlap
/// capacitances CGSO·W, CGDO·W, CGBO·Leff (times m), and the bulk-drain/bulk-source depletion junctions: bottom CBD/CBS
/// (or CJ·AD/AS) with MJ plus sidewall CJSW·PD/PS with MJSW, sharing PB and FC, temperature-scaled as the UCB mos1temp
/// equations. Meyer's model gives capacitances, not charges: a transient integrates the gate charges incrementally,
/// q(t) = q(t-h) + (v(t) - v(t-h)) · C, with C = half-capacitance now + half-capacitance at t-h + overlap (see
/// <see cref="MeyerHalf"/>); at an operating point C = 2 · half + overlap. The bulk junctions have true charges.
/// </summary>
internal sealed partial class Mosfet1
{
    private DepletionCapacitance _bdBottom;
    private DepletionCapacitance _bdSide;
    private DepletionCapacitance _bsBottom;
    private DepletionCapacitance _bsSide;
    private int _gG;
    private int _gB;
    private int _gDp;
    private int _gSp;
    private int _bG;

    /// <summary>Gate oxide capacitance Cox·Leff·W·m in farads (0 when TOX is not given, as SPICE3).</summary>
    internal double OxideCap => _model.OxideCapacitance * (_l - (2 * _model.Ld)) * _w * _m;

    /// <summary>Gate-source overlap CGSO·m·W in farads.</summary>
    internal double GateSourceOverlap => _model.Cgso * _m * _w;

    /// <summary>Gate-drain overlap CGDO·m·W in farads.</summary>
    internal double GateDrainOverlap => _model.Cgdo * _m * _w;

    /// <summary>Gate-bulk overlap CGBO·m·Leff in farads.</summary>
    internal double GateBulkOverlap => _model.Cgbo * _m * (_l - (2 * _model.Ld));

    /// <summary>Potential φ at the device temperature (Meyer's model uses it for the depletion/inversion transition).</summary>
    internal double TemperaturePhi => _phi;

    /// <summary>Gate node and the gate row/column slots (g,g), (g,b), (g,d'), (g,s'), (b,g) of the capacitive stamps.</summary>
    internal (int Gate, int GG, int GB, int GDp, int GSp, int BG) GateSlots => (_g, _gG, _gB, _gDp, _gSp, _bG);

    /// <summary>Whether the card gives the gate any capacitance (else the gate row has no entries).</summary>
    private static bool HasGateCapacitance(Mosfet1Model p) => !(p.OxideCapacitance == 0 && p.Cgso == 0 && p.Cgdo == 0 && p.Cgbo == 0);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AllocateGateSlots(MatrixStructureBuilder m)
    {
        // The Meyer and overlap capacitances couple the gate to every other terminal; DC loads leave these at zero.
        // A model without TOX and overlap capacitances has no gate capacitance at all: its gate row stays empty (-1
        // slots), as before these stamps existed, so such a deck factorises no entries that are zero in every analysis.
        // (The LU used to re-order on them too; since SparseLu.Refactor keeps its order this is only sparsity.)
        if (!HasGateCapacitance(_model))
        {
            _gG = _gB = _gDp = _gSp = _bG = -1;
            return;
        }

        _gG = m.GetSlot(_g, _g);
        _gB = m.GetSlot(_g, _b);
        _gDp = m.GetSlot(_g, _dp);
        _gSp = m.GetSlot(_g, _sp);
        _bG = m.GetSlot(_b, _g);
    }

    private void TemperatureCapacitance(double t, double tnom, double pbfact, double pbfact1, double fact1, double fact2)
    {
        Mosfet1Model p = _model;
        double tref = Semiconductor.ReferenceTemperature;
        double pbo = (p.Pb - pbfact1) / fact1;
        double gmaold = (p.Pb - pbo) / pbo;
        double bulkPot = (fact2 * pbo) + pbfact;
        double gmanew = (bulkPot - pbo) / pbo;
        double bottom = (1 + (p.Mj * ((4e-4 * (t - tref)) - gmanew))) / (1 + (p.Mj * ((4e-4 * (tnom - tref)) - gmaold)));
        double side = (1 + (p.Mjsw * ((4e-4 * (t - tref)) - gmanew))) / (1 + (p.Mjsw * ((4e-4 * (tnom - tref)) - gmaold)));
        double czbd = p.CbdGiven ? p.Cbd * bottom * _m : p.CjGiven ? p.Cj * bottom * _m * _ad : 0;
        double czbs = p.CbsGiven ? p.Cbs * bottom * _m : p.CjGiven ? p.Cj * bottom * _m * _as : 0;
        double czbdsw = p.CjswGiven ? p.Cjsw * side * PerimeterDrain * _m : 0;
        double czbssw = p.CjswGiven ? p.Cjsw * side * PerimeterSource * _m : 0;
        _bdBottom = new DepletionCapacitance(czbd, bulkPot, p.Mj, p.Fc);
        _bdSide = new DepletionCapacitance(czbdsw, bulkPot, p.Mjsw, p.Fc);
        _bsBottom = new DepletionCapacitance(czbs, bulkPot, p.Mj, p.Fc);
        _bsSide = new DepletionCapacitance(czbssw, bulkPot, p.Mjsw, p.Fc);
    }

    /// <summary>
    /// Meyer's intrinsic gate capacitances, each halved as SPICE3's DEVqmeyer returns them (the caller adds the other
    /// half from the same or the previous time point, then the overlap). Normalised polarity, forward mode (swap the
    /// drain and source arguments and results for reverse mode). Regions of vgst = vgs - von: accumulation
    /// (vgst ≤ -φ: Cgb = Cox/2), depletion (Cgb = -vgst Cox/(2φ), from -φ/2 also Cgs = vgst Cox/(1.5φ) + Cox/3 shared with
    /// Cgd below saturation), saturation (Cgs = Cox/3), triode (Cgs, Cgd = Cox/3 (1 - ((vdsat - vds)/(2 vdsat - vds))²),
    /// Cox/3 (1 - (vdsat/(2 vdsat - vds))²)), with vdsat at least 25 mV.
    /// </summary>
    /// <param name="vgs">Gate-source voltage (V).</param>
    /// <param name="vgd">Gate-drain voltage (V).</param>
    /// <param name="von">Threshold von (V).</param>
    /// <param name="vdsat">Saturation voltage (V).</param>
    /// <param name="phi">Surface potential φ at temperature (V).</param>
    /// <param name="cox">Oxide capacitance Cox·Leff·W·m (F).</param>
    /// <returns>Half of Cgs, Cgd, Cgb in farads.</returns>
    public static (double Cgs, double Cgd, double Cgb) MeyerHalf(double vgs, double vgd, double von, double vdsat, double phi, double cox)
    {
        const double MinimumVdsat = 0.025;
        double vgst = vgs - von;
        vdsat = Math.Max(vdsat, MinimumVdsat);
        if (vgst <= -phi)
        {
            return (0, 0, cox / 2);
        }

        if (vgst <= -phi / 2)
        {
            return (0, 0, -vgst * cox / (2 * phi));
        }

        double vds = vgs - vgd;
        if (vgst <= 0)
        {
            double cgb = -vgst * cox / (2 * phi);
            double cgs = (vgst * cox / (1.5 * phi)) + (cox / 3);
            if (vds >= vdsat)
            {
                return (cgs, 0, cgb);
            }

            double d = (2.0 * vdsat) - vds;
            double d1 = vdsat - vds;
            double d2 = d * d;
            return (cgs * (1.0 - (d1 * d1 / d2)), cgs * (1.0 - (vdsat * vdsat / d2)), cgb);
        }

        if (vdsat <= vds)
        {
            return (cox / 3, 0, 0);
        }

        double dd = (2.0 * vdsat) - vds;
        double dd1 = vdsat - vds;
        double dd2 = dd * dd;
        return (cox * (1.0 - (dd1 * dd1 / dd2)) / 3, cox * (1.0 - (vdsat * vdsat / dd2)) / 3, 0);
    }

    /// <summary>
    /// Meyer half-capacitances of this device at normalised voltages with the device's own orientation: in reverse
    /// mode (vds &lt; 0) the roles of drain and source swap, as in SPICE3.
    /// </summary>
    /// <param name="vgs">Normalised gate-source voltage.</param>
    /// <param name="vds">Normalised drain-source voltage.</param>
    /// <param name="von">Normalised threshold (the value of the same evaluation).</param>
    /// <param name="vdsat">Normalised saturation voltage (same evaluation).</param>
    /// <returns>Half of Cgs, Cgd, Cgb.</returns>
    internal (double Cgs, double Cgd, double Cgb) MeyerHalfAt(double vgs, double vds, double von, double vdsat)
    {
        double vgd = vgs - vds;
        if (vds >= 0)
        {
            return MeyerHalf(vgs, vgd, von, vdsat, _phi, OxideCap);
        }

        (double cgd, double cgs, double cgb) = MeyerHalf(vgd, vgs, von, vdsat, _phi, OxideCap);
        return (cgs, cgd, cgb);
    }

    /// <summary>Bulk-source and bulk-drain depletion charges and capacitances at normalised vbs, vbd.</summary>
    /// <param name="vbs">Bulk-source voltage (V).</param>
    /// <param name="vbd">Bulk-drain voltage (V).</param>
    /// <returns>Charges (C) and capacitances (F).</returns>
    internal (double Qbs, double Cbs, double Qbd, double Cbd) BulkCharges(double vbs, double vbd)
    {
        (double qbs1, double cbs1) = _bsBottom.Evaluate(vbs);
        (double qbs2, double cbs2) = _bsSide.Evaluate(vbs);
        (double qbd1, double cbd1) = _bdBottom.Evaluate(vbd);
        (double qbd2, double cbd2) = _bdSide.Evaluate(vbd);
        return (qbs1 + qbs2, cbs1 + cbs2, qbd1 + qbd2, cbd1 + cbd2);
    }

    /// <summary>
    /// Capacitances at the last load's voltages (the operating point after a solve), as SPICE3 evaluates them for small
    /// signal: gate capacitances 2 × Meyer half plus overlap, junctions at vbs and vbd.
    /// </summary>
    /// <returns>The capacitances and junction charges.</returns>
    public Mosfet1Capacitances OperatingPointCapacitances()
    {
        int type = _model.Type;
        (double hgs, double hgd, double hgb) = MeyerHalfAt(_vgs, _vds, type * _von, type * _vdsat);
        (double qbs, double cbs, double qbd, double cbd) = BulkCharges(_vbs, _vbd);
        return new Mosfet1Capacitances(
            (2 * hgs) + GateSourceOverlap,
            (2 * hgd) + GateDrainOverlap,
            (2 * hgb) + GateBulkOverlap,
            cbd,
            cbs,
            qbd,
            qbs);
    }
}
