using System.Runtime.CompilerServices;
using DnnOpt.Spice.Analyses;

namespace DnnOpt.Spice.Devices.Mosfets;

/// <summary>
/// The level-1 MOSFET's charges in a transient, as SPICE3's MOS1load integrates them: bulk-drain and bulk-source
/// depletion charges (true charges, integrated into gbd/gbs and cbd/cbs), and Meyer's gate capacitances, which have
/// no charge function, integrated incrementally q(t) = q(t-h) + C (v(t) - v(t-h)) with C the sum of the half
/// capacitances now and at t-h plus the overlap (<see cref="MeyerHalfAt"/>); the first iteration of a time point
/// uses the predicted gate charges, and the first iteration of the first time point leaves the gate open, as
/// SPICE3 does. The gate charges take part in the truncation-error step control (MOS1trunc); the bulk charges do not.
/// </summary>
internal sealed partial class Mosfet1
{
    // State layout: vbs vgs vds, the three Meyer half capacitances, then the charges (each with its current).
    private int _stVoltages;
    private int _stHalves;
    private int _qgs;
    private int _qgd;
    private int _qgb;
    private int _qbd;
    private int _qbs;
    private double _gcgs;
    private double _gcgd;
    private double _gcgb;
    private double _ceqgs;
    private double _ceqgd;
    private double _ceqgb;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AllocateStates(StateAllocator states)
    {
        _stVoltages = states.Allocate(3);
        _stHalves = states.Allocate(3);
        _qgs = states.AllocateCharge(truncate: true);
        _qgd = states.AllocateCharge(truncate: true);
        _qgb = states.AllocateCharge(truncate: true);
        _qbd = states.AllocateCharge(truncate: false);
        _qbs = states.AllocateCharge(truncate: false);
    }

    /// <summary>
    /// The start of a <c>uic</c> transient: the instance's <c>ic=vds,vgs,vbs</c>, where zero taking the voltage of the
    /// <c>.ic</c> node vector instead (ngspice's MOS1getic), in normalised polarity.
    /// </summary>
    private (double Vbs, double Vgs, double Vds) InitialVoltages(LoadContext context)
    {
        int type = _model.Type;
        double vs = context.Voltage(_s);
        double vds = _icVds != 0 ? _icVds : context.Voltage(_d) - vs;
        double vgs = _icVgs != 0 ? _icVgs : context.Voltage(_g) - vs;
        double vbs = _icVbs != 0 ? _icVbs : context.Voltage(_b) - vs;
        return (type * vbs, type * vgs, type * vds);
    }

    /// <summary>Computes the charges of this load (after <c>Evaluate</c>) and, in a transient, their companions.</summary>
    private void LoadCharges(LoadContext context)
    {
        double[] s0 = context.State0;
        double[] s1 = context.State1;
        double vgs = _vgs;
        double vds = _vds;
        double vbs = _vbs;
        double vbd = _vbd;
        double vgd = vgs - vds;
        double vgb = vgs - vbs;
        s0[_stVoltages] = vbs;
        s0[_stVoltages + 1] = vgs;
        s0[_stVoltages + 2] = vds;
        bool transient = context.IsTransient;
        Integrator integrator = context.Integrator;

        // Without junction capacitance (no CBD/CBS/CJ/CJSW area or perimeter) the bulk charges stay zero.
        bool bulk = !(_bsBottom.IsZero && _bsSide.IsZero && _bdBottom.IsZero && _bdSide.IsZero);
        (double qbs, double capbs, double qbd, double capbd) = bulk ? BulkCharges(vbs, vbd) : default;
        s0[_qbs] = qbs;
        s0[_qbd] = qbd;
        if (transient && bulk)
        {
            integrator.Integrate(_qbd, capbd, out double geqbd, out _);
            _gbd += geqbd;
            _cbd += s0[_qbd + 1];
            integrator.Integrate(_qbs, capbs, out double geqbs, out _);
            _gbs += geqbs;
            _cbs += s0[_qbs + 1];
        }

        int type = _model.Type;
        (double hgs, double hgd, double hgb) = MeyerHalfAt(vgs, vds, type * _von, type * _vdsat);
        s0[_stHalves] = hgs;
        s0[_stHalves + 1] = hgd;
        s0[_stHalves + 2] = hgb;
        double capgs;
        double capgd;
        double capgb;
        if (!transient)
        {
            capgs = (2 * hgs) + GateSourceOverlap;
            capgd = (2 * hgd) + GateDrainOverlap;
            capgb = (2 * hgb) + GateBulkOverlap;
            s0[_qgs] = vgs * capgs;
            s0[_qgd] = vgd * capgd;
            s0[_qgb] = vgb * capgb;
            return;
        }

        capgs = hgs + s1[_stHalves] + GateSourceOverlap;
        capgd = hgd + s1[_stHalves + 1] + GateDrainOverlap;
        capgb = hgb + s1[_stHalves + 2] + GateBulkOverlap;
        if (context.Mode is LoadMode.Predict or LoadMode.InitTransient)
        {
            double f = context.PredictFactor;
            double[] s2 = context.State2;
            s0[_qgs] = ((1 + f) * s1[_qgs]) - (f * s2[_qgs]);
            s0[_qgd] = ((1 + f) * s1[_qgd]) - (f * s2[_qgd]);
            s0[_qgb] = ((1 + f) * s1[_qgb]) - (f * s2[_qgb]);
        }
        else
        {
            double vgs1 = s1[_stVoltages + 1];
            double vgd1 = vgs1 - s1[_stVoltages + 2];
            double vgb1 = vgs1 - s1[_stVoltages];
            s0[_qgs] = ((vgs - vgs1) * capgs) + s1[_qgs];
            s0[_qgd] = ((vgd - vgd1) * capgd) + s1[_qgd];
            s0[_qgb] = ((vgb - vgb1) * capgb) + s1[_qgb];
        }

        if (context.Mode == LoadMode.InitTransient)
        {
            _gcgs = _gcgd = _gcgb = _ceqgs = _ceqgd = _ceqgb = 0;
            return;
        }

        double ag0 = integrator.Ag[0];
        integrator.Integrate(_qgs, capgs, out _gcgs, out double ceq);
        _ceqgs = ceq - (_gcgs * vgs) + (ag0 * s0[_qgs]);
        integrator.Integrate(_qgd, capgd, out _gcgd, out ceq);
        _ceqgd = ceq - (_gcgd * vgd) + (ag0 * s0[_qgd]);
        integrator.Integrate(_qgb, capgb, out _gcgb, out ceq);
        _ceqgb = ceq - (_gcgb * vgb) + (ag0 * s0[_qgb]);
    }

    /// <summary>The gate capacitances' companion stamps (SPICE3 MOS1load's gate rows and columns).</summary>
    private void StampGate(LoadContext context)
    {
        int type = _model.Type;
        double[] a = context.Matrix;
        (int g, int gG, int gB, int gDp, int gSp, int bG) = GateSlots;
        context.AddRhs(g, -type * (_ceqgs + _ceqgb + _ceqgd));
        context.AddRhs(_b, type * _ceqgb);
        context.AddRhs(_dp, type * _ceqgd);
        context.AddRhs(_sp, type * _ceqgs);
        Add(a, gG, _gcgd + _gcgs + _gcgb);
        Add(a, _bB, _gcgb);
        Add(a, _dpDp, _gcgd);
        Add(a, _spSp, _gcgs);
        Add(a, gB, -_gcgb);
        Add(a, gDp, -_gcgd);
        Add(a, gSp, -_gcgs);
        Add(a, bG, -_gcgb);
        Add(a, _dpG, -_gcgd);
        Add(a, _spG, -_gcgs);
    }
}
