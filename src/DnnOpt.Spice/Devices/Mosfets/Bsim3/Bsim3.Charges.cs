using System.Runtime.CompilerServices;
using DnnOpt.Spice.Analyses;

namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// Charge storage of the BSIM3 instance: intrinsic charges (<see cref="Bsim3Charges"/>, capMod 0-3), overlap charges
/// and the bulk junction depletion charges, their capacitance matrix (ngspice's cggb cgdb cgsb cbgb cbdb cbsb cdgb
/// cddb cdsb, capbd, capbs) and, in a transient, the three integrated terminal charges qg, qd, qb with their companion
/// conductances, stamped as ngspice's BSIM3 load does (quasi-static, nqsMod = 0).
/// </summary>
internal sealed partial class Bsim3
{
    // Junction capacitance constants at temperature (per single device; m is applied when stamping).
    private double _czbd;
    private double _czbdsw;
    private double _czbdswg;
    private double _czbs;
    private double _czbssw;
    private double _czbsswg;
    private double _phiB;
    private double _phiBsw;
    private double _phiBswg;

    // Last channel evaluation (forward-mode frame) and what the charge model needs with it. The ~1 KB result is in
    // the size's scratch (see EvaluateChannel); this instance's own result exists only when sharing is turned off.
    private ChannelBox? _channel;
    private double _channelVds;
    private double _channelVbs;

    // The capacitances at the last evaluation, computed on first use: an operating point captures all fourteen
    // capacitance and charge quantities of every instance, and each used to re-run the whole charge model.
    private Capacitances _capacitances;
    private bool _capacitancesValid;

    // Transient states.
    private int _stQb;
    private int _stQg;
    private int _stQd;

    /// <summary>The capacitances of one evaluation (per single device, F) and the terminal charges (C).</summary>
    private struct Capacitances
    {
        public double Cggb;
        public double Cgdb;
        public double Cgsb;
        public double Cbgb;
        public double Cbdb;
        public double Cbsb;
        public double Cdgb;
        public double Cddb;
        public double Cdsb;
        public double Cgdo;
        public double Cgso;
        public double Capbd;
        public double Capbs;
        public double Qgate;
        public double Qbulk;
        public double Qdrn;
        public double Qbd;
        public double Qbs;
    }

    private void TemperatureJunctionCapacitance(double temperature)
    {
        Bsim3Model p = _model;
        double delT = temperature - p.Tnom;
        double cj = 1.0 + (p.Tcj * delT) >= 0.0 ? p.Cj * (1.0 + (p.Tcj * delT)) : 0.0;
        double cjsw = 1.0 + (p.Tcjsw * delT) >= 0.0 ? p.Cjsw * (1.0 + (p.Tcjsw * delT)) : 0.0;
        double cjswg = 1.0 + (p.Tcjswg * delT) >= 0.0 ? p.Cjswg * (1.0 + (p.Tcjswg * delT)) : 0.0;
        _phiB = Math.Max(p.Pb - (p.Tpb * delT), 0.01);
        _phiBsw = Math.Max(p.Pbsw - (p.Tpbsw * delT), 0.01);
        _phiBswg = Math.Max(p.Pbswg - (p.Tpbswg * delT), 0.01);
        double weff = _s.Weff;
        _czbd = cj * _drainArea;
        _czbs = cj * _sourceArea;
        if (_drainPerimeter < weff)
        {
            _czbdswg = cjswg * _drainPerimeter;
            _czbdsw = 0.0;
        }
        else
        {
            _czbdsw = cjsw * (_drainPerimeter - weff);
            _czbdswg = cjswg * weff;
        }

        if (_sourcePerimeter < weff)
        {
            _czbsswg = cjswg * _sourcePerimeter;
            _czbssw = 0.0;
        }
        else
        {
            _czbssw = cjsw * (_sourcePerimeter - weff);
            _czbsswg = cjswg * weff;
        }
    }

    /// <summary>Capacitances and charges at the last load's voltages, computed once per evaluation.</summary>
    private ref readonly Capacitances CurrentCapacitances()
    {
        if (!_capacitancesValid)
        {
            _capacitances = ComputeCapacitances();
            _capacitancesValid = true;
        }

        return ref _capacitances;
    }

    /// <summary>Capacitances and charges at the last load's voltages (vgs, vds, vbs normalised by type).</summary>
    private Capacitances ComputeCapacitances()
    {
        var c = default(Capacitances);
        Bsim3Charges.Intrinsic q = Bsim3Charges.Evaluate(_model, _s, Channel(), _channelVds, _channelVbs);
        Dual3 qd = q.Qd;
        c.Cggb = q.Qg.G;
        c.Cgdb = q.Qg.D;
        c.Cgsb = -(q.Qg.G + q.Qg.D + q.Qg.B);
        c.Cbgb = q.Qb.G;
        c.Cbdb = q.Qb.D;
        c.Cbsb = -(q.Qb.G + q.Qb.D + q.Qb.B);
        c.Cdgb = qd.G;
        c.Cddb = qd.D;
        c.Cdsb = -(qd.G + qd.D + qd.B);

        double vgs = _vgs;
        double vgd = _vgs - _vds;
        double vgb = _vgs - _vbs;
        Bsim3SizeParameters s = _s;
        (double qgdo, c.Cgdo) = Bsim3Charges.Overlap(_model.CapMod, s.CgdoW, s.Cgdl, s.WeffCv, s.Ckappa, vgd);
        (double qgso, c.Cgso) = Bsim3Charges.Overlap(_model.CapMod, s.CgsoW, s.Cgsl, s.WeffCv, s.Ckappa, vgs);
        Bsim3Model p = _model;
        (c.Qbs, c.Capbs) = Bsim3Charges.Junction(_vbs, _czbs, _czbssw, _czbsswg, _phiB, _phiBsw, _phiBswg, p.Mj, p.Mjsw, p.Mjswg);
        (c.Qbd, c.Capbd) = Bsim3Charges.Junction(_vbd, _czbd, _czbdsw, _czbdswg, _phiB, _phiBsw, _phiBswg, p.Mj, p.Mjsw, p.Mjswg);

        double qgb = s.CgboL * vgb;
        double qgate = q.Qg.V + qgdo + qgso + qgb;
        double qbulk = q.Qb.V - qgb;
        double qdrn;
        if (_mode > 0)
        {
            qdrn = qd.V - qgdo;
        }
        else
        {
            // Reverse mode: the intrinsic "drain" charge sits on the source terminal.
            double qsrc = qd.V - qgso;
            qdrn = -(qgate + qbulk + qsrc);
        }

        c.Qgate = qgate;
        c.Qbulk = qbulk;
        c.Qdrn = qdrn;
        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AllocateStates(StateAllocator states)
    {
        _stQb = states.AllocateCharge(truncate: true);
        _stQg = states.AllocateCharge(truncate: true);
        _stQd = states.AllocateCharge(truncate: true);
    }

    /// <summary>Stores the terminal charges and, in a transient, integrates them and stamps their companions.</summary>
    private void LoadCharges(LoadContext context)
    {
        ref readonly Capacitances c = ref CurrentCapacitances();
        double[] s0 = context.State0;
        s0[_stQg] = c.Qgate;
        s0[_stQd] = c.Qdrn - c.Qbd;
        s0[_stQb] = c.Qbulk + c.Qbd + c.Qbs;
        if (!context.IsTransient)
        {
            return;
        }

        Integrator integrator = context.Integrator;
        if (context.Mode == LoadMode.InitTransient)
        {
            double[] s1 = context.State1;
            s1[_stQb] = s0[_stQb];
            s1[_stQg] = s0[_stQg];
            s1[_stQd] = s0[_stQd];
        }

        integrator.Integrate(_stQb, 0.0, out _, out _);
        integrator.Integrate(_stQg, 0.0, out _, out _);
        integrator.Integrate(_stQd, 0.0, out _, out _);
        var gc = CapacitiveStamp.From(c, _s.CgboL, _mode, integrator.Ag[0]);
        double vgb = _vgs - _vbs;
        double vbd = _vbd;
        double vbs = _vbs;
        double type = _model.Type;
        double ceqqg = type * (s0[_stQg + 1] - (gc.Ggb * vgb) + (gc.Ggd * vbd) + (gc.Ggs * vbs));
        double ceqqb = type * (s0[_stQb + 1] - (gc.Bgb * vgb) + (gc.Bbd * vbd) + (gc.Bbs * vbs));
        double ceqqd = type * (s0[_stQd + 1] - (gc.Dgb * vgb) + (gc.Ddb * vbd) + (gc.Dsb * vbs));
        double m = _m;
        context.AddRhs(_g, -m * ceqqg);
        context.AddRhs(_b, -m * ceqqb);
        context.AddRhs(_dp, -m * ceqqd);
        context.AddRhs(_sp, m * (ceqqg + ceqqb + ceqqd));
        StampCapacitive(context.Matrix, gc);
    }

    /// <summary>
    /// Adds m times a capacitive stamp (conductances a0·C in a transient, or the jω coefficients C in AC) into the
    /// gate, bulk and internal drain/source rows and columns, as ngspice's BSIM3 load and AC load do.
    /// </summary>
    private void StampCapacitive(double[] a, in CapacitiveStamp gc)
    {
        double m = _m;
        Add(a, _gg, m * gc.Ggb);
        Add(a, _bb, -m * (gc.Bgb + gc.Bbd + gc.Bbs));
        Add(a, _dpdp, m * gc.Ddb);
        Add(a, _spsp, m * gc.Ssb);
        Add(a, _gb, -m * (gc.Ggb + gc.Ggd + gc.Ggs));
        Add(a, _gdp, m * gc.Ggd);
        Add(a, _gsp, m * gc.Ggs);
        Add(a, _bg, m * gc.Bgb);
        Add(a, _bdp, m * gc.Bbd);
        Add(a, _bsp, m * gc.Bbs);
        Add(a, _dpg, m * gc.Dgb);
        Add(a, _dpb, -m * (gc.Dgb + gc.Ddb + gc.Dsb));
        Add(a, _dpsp, m * gc.Dsb);
        Add(a, _spg, m * gc.Sgb);
        Add(a, _spb, -m * (gc.Sgb + gc.Sdb + gc.Ssb));
        Add(a, _spdp, m * gc.Sdb);
    }

    /// <summary>
    /// The twelve capacitive coefficients of ngspice's BSIM3 stamp (gcggb ... gcbsb), intrinsic plus overlap plus
    /// junction, oriented for forward or reverse mode and scaled by <c>factor</c> (a0 in a transient, 1 for jω).
    /// Names: first letter the row terminal (g, d, s, b), then the column (g, d, s) of the b-referenced form.
    /// </summary>
    private readonly record struct CapacitiveStamp(
        double Ggb, double Ggd, double Ggs, double Dgb, double Ddb, double Dsb, double Sgb, double Sdb, double Ssb, double Bgb, double Bbd, double Bbs)
    {
        public static CapacitiveStamp From(in Capacitances c, double cgbo, int mode, double f)
        {
            if (mode > 0)
            {
                return new CapacitiveStamp(
                    (c.Cggb + c.Cgdo + c.Cgso + cgbo) * f,
                    (c.Cgdb - c.Cgdo) * f,
                    (c.Cgsb - c.Cgso) * f,
                    (c.Cdgb - c.Cgdo) * f,
                    (c.Cddb + c.Capbd + c.Cgdo) * f,
                    c.Cdsb * f,
                    -(c.Cggb + c.Cbgb + c.Cdgb + c.Cgso) * f,
                    -(c.Cgdb + c.Cbdb + c.Cddb) * f,
                    (c.Capbs + c.Cgso - (c.Cgsb + c.Cbsb + c.Cdsb)) * f,
                    (c.Cbgb - cgbo) * f,
                    (c.Cbdb - c.Capbd) * f,
                    (c.Cbsb - c.Capbs) * f);
            }

            return new CapacitiveStamp(
                (c.Cggb + c.Cgdo + c.Cgso + cgbo) * f,
                (c.Cgsb - c.Cgdo) * f,
                (c.Cgdb - c.Cgso) * f,
                -(c.Cggb + c.Cbgb + c.Cdgb + c.Cgdo) * f,
                (c.Capbd + c.Cgdo - (c.Cgsb + c.Cbsb + c.Cdsb)) * f,
                -(c.Cgdb + c.Cbdb + c.Cddb) * f,
                (c.Cdgb - c.Cgso) * f,
                c.Cdsb * f,
                (c.Cddb + c.Capbs + c.Cgso) * f,
                (c.Cbgb - cgbo) * f,
                (c.Cbsb - c.Capbd) * f,
                (c.Cbdb - c.Capbs) * f);
        }
    }

    /// <summary>Capacitance quantities by ngspice name (times m), or NaN.</summary>
    private double CapacitanceQuantity(string name)
    {
        ref readonly Capacitances c = ref CurrentCapacitances();
        double v = name switch
        {
            "cgg" => c.Cggb,
            "cgd" => c.Cgdb,
            "cgs" => c.Cgsb,
            "cbg" => c.Cbgb,
            "cbd" => c.Cbdb,
            "cbs" => c.Cbsb,
            "cdg" => c.Cdgb,
            "cdd" => c.Cddb,
            "cds" => c.Cdsb,
            "capbd" => c.Capbd,
            "capbs" => c.Capbs,
            "qg" => c.Qgate,
            "qb" => c.Qbulk + c.Qbd + c.Qbs,
            "qd" => c.Qdrn - c.Qbd,
            _ => double.NaN,
        };
        return _m * v;
    }
}
