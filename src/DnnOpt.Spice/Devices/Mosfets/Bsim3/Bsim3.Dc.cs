namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>DC load of the BSIM3 instance: Newton voltage limiting, junction diodes, channel and substrate current, stamps.</summary>
internal sealed partial class Bsim3
{
    // Nodes and slots (resolved at setup).
    private int _d;
    private int _g;
    private int _sNode;
    private int _b;
    private int _dp;
    private int _sp;
    private int _dd;
    private int _gg;
    private int _ss;
    private int _bb;
    private int _dpdp;
    private int _spsp;
    private int _ddp;
    private int _gb;
    private int _gdp;
    private int _gsp;
    private int _ssp;
    private int _bdp;
    private int _bsp;
    private int _dpsp;
    private int _dpd;
    private int _bg;
    private int _dpg;
    private int _spg;
    private int _sps;
    private int _dpb;
    private int _spb;
    private int _spdp;

    // Temperature-dependent junction values.
    private double _nvtm;
    private double _sourceSatCurrent;
    private double _drainSatCurrent;
    private double _vjsm;
    private double _isEvjsm;
    private double _vjdm;
    private double _isEvjdm;
    private double _vcrit;

    // Newton state of the last load (normalised polarity; per single device, m applied when stamping).
    private double _vbs;
    private double _vgs;
    private double _vds;
    private double _vbd;
    private int _mode = 1;
    private double _cd;
    private double _gm;
    private double _gds;
    private double _gmbs;
    private double _csub;
    private double _gbgs;
    private double _gbds;
    private double _gbbs;
    private double _cbs;
    private double _cbd;
    private double _gbs;
    private double _gbd;
    private double _von;
    private double _vdsat;
    private double _vdseff;
    private double _vgsteff;
    private double _ueff;

    private (double Vbs, double Vgs, double Vds) _h1;
    private (double Vbs, double Vgs, double Vds) _h2;
    private (double Vbs, double Vgs, double Vds, double Vbd, double Von) _saved;

    public void Load(LoadContext context)
    {
        int type = _model.Type;
        double vbs;
        double vgs;
        double vds;
        bool limited = false;
        if (context.Mode == LoadMode.InitJunction && !_off)
        {
            vds = type * _icVds;
            vgs = type * _icVgs;
            vbs = type * _icVbs;
            if (vds == 0.0 && vgs == 0.0 && vbs == 0.0)
            {
                // BSIM3's initial guess: just above threshold, small drain bias, no body bias.
                vbs = 0.0;
                vgs = (type * _s.Vth0) + 0.1;
                vds = 0.1;
            }
        }
        else if (context.Mode is LoadMode.InitJunction or LoadMode.InitFix && _off)
        {
            vbs = vgs = vds = 0.0;
        }
        else
        {
            if (context.Mode is LoadMode.Predict or LoadMode.InitTransient)
            {
                // Extrapolate from the last two sweep or time points (ngspice's MODEINITPRED); limit against the last.
                double f = context.PredictFactor;
                vbs = ((1 + f) * _h1.Vbs) - (f * _h2.Vbs);
                vgs = ((1 + f) * _h1.Vgs) - (f * _h2.Vgs);
                vds = ((1 + f) * _h1.Vds) - (f * _h2.Vds);
                (_vbs, _vgs, _vds) = _h1;
                _vbd = _h1.Vbs - _h1.Vds;
            }
            else
            {
                double vs = context.Voltage(_sp);
                vbs = type * (context.Voltage(_b) - vs);
                vgs = type * (context.Voltage(_g) - vs);
                vds = type * (context.Voltage(_dp) - vs);
            }

            // As b3ld.c: the drain-junction limit below starts from vbd of the unlimited voltages, not from the
            // limited vds (a reverse-mode device whose vds limvds holds back must still see its drain junction).
            double vbdRaw = vbs - vds;
            limited = Semiconductor.LimitMosfet(ref vgs, ref vds, vgs - vds, _vgs, _vds, _von);
            double vt0 = Semiconductor.KOverQ * Semiconductor.ReferenceTemperature;
            bool junctionLimited;
            if (vds >= 0.0)
            {
                vbs = Semiconductor.LimitJunction(vbs, _vbs, vt0, _vcrit, out junctionLimited);
            }
            else
            {
                double vbd = Semiconductor.LimitJunction(vbdRaw, _vbd, vt0, _vcrit, out junctionLimited);
                vbs = vbd + vds;
            }

            limited |= junctionLimited;
        }

        if (limited && !(_off && context.Mode == LoadMode.InitFix))
        {
            context.NonConvergence++;
            context.TroubleDevice = Name;
        }

        Evaluate(vgs, vds, vbs, context.Gmin);
        Stamp(context);
        if (context.Analysis != AnalysisMode.Dc)
        {
            LoadCharges(context);
        }
    }

    /// <summary>Junction and channel currents at the (limited) normalised voltages; stores the Newton state.</summary>
    private void Evaluate(double vgs, double vds, double vbs, double gmin)
    {
        _capacitancesValid = false;
        double vbd = vbs - vds;
        (_cbs, _gbs) = JunctionCurrent(vbs, _sourceSatCurrent, _vjsm, _isEvjsm, gmin);
        (_cbd, _gbd) = JunctionCurrent(vbd, _drainSatCurrent, _vjdm, _isEvjdm, gmin);

        double vgd = vgs - vds;
        _mode = vds >= 0.0 ? 1 : -1;
        _channelVds = _mode > 0 ? vds : -vds;
        _channelVbs = _mode > 0 ? vbs : vbd;
        _channelVgs = _mode > 0 ? vgs : vgd;
        ref readonly Bsim3Channel.Result r = ref EvaluateChannel(_channelVgs, _channelVds, _channelVbs);
        _cd = r.Ids.V;
        _gm = r.Ids.G;
        _gds = r.Ids.D;
        _gmbs = r.Ids.B;
        _csub = r.Isub.V;
        _gbgs = r.Isub.G;
        _gbds = r.Isub.D;
        _gbbs = r.Isub.B;
        _von = r.Vth.V;
        _vdsat = r.Vdsat.V;
        _vdseff = r.Vdseff.V;
        _vgsteff = r.Vgsteff.V;
        _ueff = r.Ueff.V;
        _vgs = vgs;
        _vds = vds;
        _vbs = vbs;
        _vbd = vbd;
    }

    /// <summary>
    /// The channel at (vgs, vds, vbs): evaluated into the size's one scratch result, or, when the last instance of the
    /// same size evaluated it at the same bits, that instance's result (the evaluation is a pure function of the card,
    /// the size parameters and these three numbers, so this is exact). The load copies the currents and conductances
    /// it stamps; the rest of the ~1 KB result (charges, noise) is read through <see cref="Channel"/>, at once by the
    /// same load or later, when it is evaluated again if another instance of the size has overwritten it. So no
    /// instance keeps a result of its own: the units of an arrayed device (the LDO's 10,000-unit pass transistor)
    /// cost one evaluation per Newton iteration, not one each, and every evaluation writes the same cache-resident
    /// memory instead of a result per instance (~1 KB each: 100 MB on a 100,000-MOSFET chain).
    /// </summary>
    private ref readonly Bsim3Channel.Result EvaluateChannel(double vgs, double vds, double vbs)
    {
        Bsim3SizeParameters s = _s;

        // The last evaluator's result still holds only if it has neither evaluated since (its version) nor moved to
        // other size parameters (a new design can resize it in place); it is in the scratch, which only the last
        // evaluator writes.
        if (!DoNotShareEvaluations && s.LastEvaluator is { } last && !ReferenceEquals(last, this)
            && last._channelVersion == s.LastVersion && ReferenceEquals(last._s, s) && ReferenceEquals(last._model, _model)
            && BitConverter.DoubleToInt64Bits(s.LastVgs) == BitConverter.DoubleToInt64Bits(vgs)
            && BitConverter.DoubleToInt64Bits(s.LastVds) == BitConverter.DoubleToInt64Bits(vds)
            && BitConverter.DoubleToInt64Bits(s.LastVbs) == BitConverter.DoubleToInt64Bits(vbs))
        {
            _sharedFrom = last;
            _sharedVersion = last._channelVersion;
            SharedEvaluations++;
            return ref last.Result;
        }

        _sharedFrom = null;
        return ref EvaluateOwn(vgs, vds, vbs);
    }

    /// <summary>
    /// Evaluates the channel for this instance into the size's scratch (with <see cref="DoNotShareEvaluations"/>,
    /// into a result of its own) and records it as the size's last evaluation.
    /// </summary>
    private ref Bsim3Channel.Result EvaluateOwn(double vgs, double vds, double vbs)
    {
        Bsim3SizeParameters s = _s;
        _channelVersion++;
        _inScratch = !DoNotShareEvaluations;
        ChannelBox target = _inScratch ? (s.Scratch ??= new ChannelBox()) : (_channel ??= new ChannelBox());
        Bsim3Channel.Evaluate(_model, s, vgs, vds, vbs, ref target.Result);
        s.LastEvaluator = this;
        s.LastVersion = _channelVersion;
        s.LastVgs = vgs;
        s.LastVds = vds;
        s.LastVbs = vbs;
        return ref target.Result;
    }

    /// <summary>
    /// The full channel result of the last load: the shared or own one while it still holds (otherwise taken again
    /// at the same voltages, from the size's last evaluation when that was at the same bits, else evaluated: the same
    /// bits either way, and units that shared one overwritten result do not each evaluate it again). Valid until the
    /// next evaluation of this size: read it at once.
    /// </summary>
    private ref readonly Bsim3Channel.Result Channel()
    {
        if (_sharedFrom is { } from)
        {
            if (from._channelVersion == _sharedVersion && ReferenceEquals(from._s, _s) && from.HoldsOwnResult())
            {
                return ref from.Result;
            }
        }
        else if (HoldsOwnResult())
        {
            return ref Result;
        }

        return ref EvaluateChannel(_channelVgs, _channelVds, _channelVbs);
    }

    /// <summary>Where this instance's last own evaluation was put.</summary>
    private ref Bsim3Channel.Result Result => ref (_inScratch ? _s.Scratch! : _channel!).Result;

    /// <summary>Whether this instance's last own evaluation is still where it put it (the scratch is overwritten).</summary>
    private bool HoldsOwnResult() => _inScratch
        ? ReferenceEquals(_s.LastEvaluator, this) && _s.LastVersion == _channelVersion
        : _channel is not null;

    /// <summary>Counts this instance's own channel evaluations, so a stale memo is never used.</summary>
    private long _channelVersion;

    /// <summary>Whether the last own evaluation went to the size's scratch result (always, unless not sharing).</summary>
    private bool _inScratch;

    /// <summary>Holds a channel result apart from the instances (the size's scratch; an instance's own when not sharing).</summary>
    internal sealed class ChannelBox
    {
        public Bsim3Channel.Result Result;
    }

    /// <summary>The instance whose result the last load shared (null: the result is this instance's own).</summary>
    private Bsim3? _sharedFrom;

    /// <summary>That instance's <see cref="_channelVersion"/> when it was shared.</summary>
    private long _sharedVersion;

    /// <summary>Normalised channel Vgs of the last load (with <see cref="_channelVds"/>, <see cref="_channelVbs"/>).</summary>
    private double _channelVgs;

    /// <summary>
    /// Set on a thread to make every instance evaluate its own channel there, into a result of its own rather than
    /// the size's scratch (the results are the same either way, which the tests check with it set).
    /// </summary>
    [ThreadStatic]
    internal static bool DoNotShareEvaluations;

    /// <summary>Channel evaluations taken from another instance on this thread (a count for the tests).</summary>
    [ThreadStatic]
    internal static long SharedEvaluations;

    /// <summary>Bulk junction: exponential up to vjsm (where the current reaches ijth), linear beyond; gmin in parallel.</summary>
    private (double Current, double Conductance) JunctionCurrent(double v, double isat, double vjm, double isEvjm, double gmin)
    {
        if (isat <= 0.0)
        {
            return (gmin * v, gmin);
        }

        if (_model.Ijth == 0.0 || v < vjm)
        {
            double e = Math.Exp(v / _nvtm);
            return ((isat * (e - 1.0)) + (gmin * v), (isat * e / _nvtm) + gmin);
        }

        double g = isEvjm / _nvtm;
        return (isEvjm - isat + (g * (v - vjm)) + (gmin * v), g + gmin);
    }

    private void Stamp(LoadContext context)
    {
        double type = _model.Type;
        double m = _m;
        double[] a = context.Matrix;
        double vbs = _vbs;
        double vds = _vds;
        double vgs = _vgs;
        double vbd = _vbd;
        double vgd = vgs - vds;
        double gm;
        double gmbs;
        double fwdSum;
        double revSum;
        double cdreq;
        double ceqbd;
        double ceqbs;
        double gbbdp;
        double gbbsp;
        double gbdpg;
        double gbdpdp;
        double gbdpb;
        double gbdpsp;
        double gbspg;
        double gbspdp;
        double gbspb;
        double gbspsp;
        if (_mode >= 0)
        {
            gm = _gm;
            gmbs = _gmbs;
            fwdSum = gm + gmbs;
            revSum = 0.0;
            cdreq = type * (_cd - (_gds * vds) - (gm * vgs) - (gmbs * vbs));
            ceqbd = -type * (_csub - (_gbds * vds) - (_gbgs * vgs) - (_gbbs * vbs));
            ceqbs = 0.0;
            gbbdp = -_gbds;
            gbbsp = _gbds + _gbgs + _gbbs;
            gbdpg = _gbgs;
            gbdpdp = _gbds;
            gbdpb = _gbbs;
            gbdpsp = -(gbdpg + gbdpdp + gbdpb);
            gbspg = gbspdp = gbspb = gbspsp = 0.0;
        }
        else
        {
            gm = -_gm;
            gmbs = -_gmbs;
            fwdSum = 0.0;
            revSum = -(gm + gmbs);
            cdreq = -type * (_cd + (_gds * vds) + (gm * vgd) + (gmbs * vbd));
            ceqbs = -type * (_csub + (_gbds * vds) - (_gbgs * vgd) - (_gbbs * vbd));
            ceqbd = 0.0;
            gbbsp = -_gbds;
            gbbdp = _gbds + _gbgs + _gbbs;
            gbdpg = gbdpsp = gbdpb = gbdpdp = 0.0;
            gbspg = _gbgs;
            gbspsp = _gbds;
            gbspb = _gbbs;
            gbspdp = -(gbspg + gbspsp + gbspb);
        }

        ceqbs += type * (_cbs - (_gbs * vbs));
        ceqbd += type * (_cbd - (_gbd * vbd));

        context.AddRhs(_b, -m * (ceqbs + ceqbd));
        context.AddRhs(_dp, m * (ceqbd - cdreq));
        context.AddRhs(_sp, m * (cdreq + ceqbs));
        StampConductances(a, gm, gmbs, fwdSum, revSum, gbbdp, gbbsp, gbdpg, gbdpdp, gbdpb, gbdpsp, gbspg, gbspdp, gbspb, gbspsp);
    }

    /// <summary>The conductance (Jacobian) part of the stamp, shared by the DC load and the AC load.</summary>
    private void StampConductances(
        double[] a, double gm, double gmbs, double fwdSum, double revSum, double gbbdp, double gbbsp, double gbdpg, double gbdpdp, double gbdpb, double gbdpsp, double gbspg, double gbspdp, double gbspb, double gbspsp)
    {
        double m = _m;
        double gdr = _drainConductance;
        double gsr = _sourceConductance;
        Add(a, _dd, m * gdr);
        Add(a, _ss, m * gsr);
        Add(a, _bb, m * (_gbd + _gbs - _gbbs));
        Add(a, _dpdp, m * (gdr + _gds + _gbd + revSum + gbdpdp));
        Add(a, _spsp, m * (gsr + _gds + _gbs + fwdSum + gbspsp));
        Add(a, _ddp, -m * gdr);
        Add(a, _ssp, -m * gsr);
        Add(a, _bg, -m * _gbgs);
        Add(a, _bdp, m * (-_gbd + gbbdp));
        Add(a, _bsp, m * (-_gbs + gbbsp));
        Add(a, _dpd, -m * gdr);
        Add(a, _dpg, m * (gm + gbdpg));
        Add(a, _dpb, -m * (_gbd - gmbs - gbdpb));
        Add(a, _dpsp, -m * (_gds + fwdSum - gbdpsp));
        Add(a, _spg, m * (-gm + gbspg));
        Add(a, _sps, -m * gsr);
        Add(a, _spb, -m * (_gbs + gmbs - gbspb));
        Add(a, _spdp, -m * (_gds + revSum - gbspdp));
    }

    private static void Add(double[] a, int slot, double v)
    {
        if (slot >= 0)
        {
            a[slot] += v;
        }
    }

    public void SaveState() => _saved = (_vbs, _vgs, _vds, _vbd, _von);

    public void RestoreState()
    {
        (_vbs, _vgs, _vds, _vbd, _von) = _saved;
        _capacitancesValid = false;
    }

    public void StartHistory() => _h1 = _h2 = (_vbs, _vgs, _vds);

    public void AcceptPoint()
    {
        _h2 = _h1;
        _h1 = (_vbs, _vgs, _vds);
    }

    /// <summary>ngspice's BSIM3 current-prediction test: drain and bulk currents linearised to the new voltages.</summary>
    public bool IsConverged(LoadContext context, ReadOnlySpan<double> solution)
    {
        double type = _model.Type;
        double vs = _sp < 0 ? 0 : solution[_sp];
        double vbs = type * ((_b < 0 ? 0 : solution[_b]) - vs);
        double vgs = type * ((_g < 0 ? 0 : solution[_g]) - vs);
        double vds = type * ((_dp < 0 ? 0 : solution[_dp]) - vs);
        double vbd = vbs - vds;
        double vgd = vgs - vds;
        double delvbs = vbs - _vbs;
        double delvbd = vbd - _vbd;
        double delvgs = vgs - _vgs;
        double delvds = vds - _vds;
        double delvgd = vgd - (_vgs - _vds);
        double idtot;
        double cdhat;
        double ibtot = _cbs + _cbd - _csub;
        double cbhat;
        if (_mode >= 0)
        {
            idtot = _cd + _csub - _cbd;
            cdhat = idtot - (_gbd * delvbd) + ((_gmbs + _gbbs) * delvbs) + ((_gm + _gbgs) * delvgs) + ((_gds + _gbds) * delvds);
            cbhat = ibtot + (_gbd * delvbd) + ((_gbs - _gbbs) * delvbs) - (_gbgs * delvgs) - (_gbds * delvds);
        }
        else
        {
            idtot = _cd - _cbd;
            cdhat = idtot - ((_gbd - _gmbs) * delvbd) + (_gm * delvgd) - (_gds * delvds);
            cbhat = ibtot + (_gbs * delvbs) + ((_gbd - _gbbs) * delvbd) - (_gbgs * delvgd) + (_gbds * delvds);
        }

        double reltol = context.Options.RelTol;
        double abstol = context.Options.AbsTol;
        if (Math.Abs(cdhat - idtot) >= (reltol * Math.Max(Math.Abs(cdhat), Math.Abs(idtot))) + abstol)
        {
            return false;
        }

        return Math.Abs(cbhat - ibtot) <= (reltol * Math.Max(Math.Abs(cbhat), Math.Abs(ibtot))) + abstol;
    }
}
