using System.Runtime.CompilerServices;
using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices.Mosfets;

/// <summary>
/// Level-1 MOSFET instance (Shichman and Hodges, IEEE JSSC 1968, in the SPICE3 form). In normalised polarity
/// (voltages times +1 for NMOS, -1 for PMOS) with Vth = VTO + GAMMA (sqrt(PHI - vbs) - sqrt(PHI)) and
/// β = KP m W / (L - 2 LD): cut-off Id = 0 for vgs ≤ Vth; triode Id = β (1 + λ vds) vds (vgs - Vth - vds/2);
/// saturation Id = β/2 (1 + λ vds) (vgs - Vth)². Source/drain swap for vds &lt; 0. Bulk-drain and bulk-source
/// junctions with IS (or JS·AD/AS) and gmin; RD/RS (or RSH·NRD/NRS) as internal nodes.
/// Quantities as ngspice's <c>@m1[...]</c>: id is ib vgs vds vbs von vdsat gm gds gmb (normalised polarity, von and
/// vdsat in circuit polarity), <c>cgs cgd cgb</c> (Meyer plus overlap) and <c>cbd cbs</c> (bulk junction
/// capacitances) at the operating point as ngspice reports them, plus <c>vth</c> (= von), <c>gmbs</c> (= gmb),
/// <c>ibd ibs</c> (bulk junction currents) and <c>region</c> (0 cut-off, 1 triode, 2 saturation) which ngspice does
/// not have. Charges and capacitances: <c>Mosfet1.Capacitance.cs</c>; small-signal stamps: <c>Mosfet1.Frequency.cs</c>.
/// </summary>
internal sealed partial class Mosfet1 : IDevice
{
    private static readonly string[] InstanceParameters = ["l", "w", "ad", "as", "pd", "ps", "nrd", "nrs", "m", "ic", "ic2", "ic3", "dtemp"];

    private static readonly string[] Quantities =
        ["id", "is", "ib", "ig", "vgs", "vds", "vbs", "von", "vth", "vdsat", "gm", "gds", "gmb", "gmbs", "region", "cbd", "cbs", "gbd", "gbs", "cgs", "cgd", "cgb", "ibd", "ibs", "l", "w", "m"];

    private readonly string[] _nodeNames;
    private Mosfet1Model _model;
    private bool _off;
    private double _l;
    private double _w;
    private double _m;
    private double _ad;
    private double _as;
    private double _nrd;
    private double _nrs;
    private double _dtemp;
    private double _icVds;
    private double _icVgs;
    private double _icVbs;
    private double _drainConductance;
    private double _sourceConductance;

    private int _d;
    private int _g;
    private int _s;
    private int _b;
    private int _dp;
    private int _sp;
    private ConductanceStamp _rdStamp;
    private ConductanceStamp _rsStamp;
    private int _dpG;
    private int _dpDp;
    private int _dpSp;
    private int _dpB;
    private int _spG;
    private int _spDp;
    private int _spSp;
    private int _spB;
    private int _bB;
    private int _bDp;
    private int _bSp;

    // Temperature-dependent values.
    private double _vt;
    private double _beta;
    private double _phi;
    private double _vbi;
    private double _vto;
    private double _drainSatCur;
    private double _sourceSatCur;
    private double _drainVcrit;
    private double _sourceVcrit;

    // Newton state from the last load (normalised polarity).
    private double _vgs;
    private double _vds;
    private double _vbs;
    private double _vbd;
    private double _von;
    private double _vdsat;
    private double _cdrain;
    private double _gm;
    private double _gds;
    private double _gmbs;
    private double _cbs;
    private double _cbd;
    private double _gbs;
    private double _gbd;
    private int _mode = 1;
    private int _region;

    // Voltages at the last two DC sweep points (for the predictor): vbs, vgs, vds.
    private (double Vbs, double Vgs, double Vds) _h1;
    private (double Vbs, double Vgs, double Vds) _h2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Mosfet1(ResolvedElement e, Mosfet1Model model, Analyses.SimulationOptions options)
    {
        Name = e.Name;
        _nodeNames = e.Nodes;
        _model = model;
        Assign(e, model, options);
    }

    public bool TryUpdate(ResolvedElement e, DeviceFactory factory)
    {
        // A card of another level makes another kind of device.
        if (factory.Mosfets.Level1(e.Model ?? throw new SpiceParseException(e.Location, "MOSFET without model")) is not Mosfet1Model model)
        {
            return false;
        }

        bool drain = _drainConductance != 0;
        bool source = _sourceConductance != 0;
        bool gate = HasGateCapacitance(_model);
        Assign(e, model, factory.Mosfets.Options);
        _model = model;

        // The internal nodes behind RD/RS and the gate's matrix entries exist or not by these values.
        return drain == (_drainConductance != 0) && source == (_sourceConductance != 0) && gate == HasGateCapacitance(model);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Assign(ResolvedElement e, Mosfet1Model model, Analyses.SimulationOptions options)
    {
        e.CheckParameters(InstanceParameters);
        _off = e.Flags.Contains("off");
        _l = e.Get("l", options.DefaultL);
        _w = e.Get("w", options.DefaultW);
        _m = e.Get("m", 1);
        _ad = e.Get("ad", options.DefaultAd);
        _as = e.Get("as", options.DefaultAs);
        PerimeterDrain = e.Get("pd", 0);
        PerimeterSource = e.Get("ps", 0);
        _nrd = e.Get("nrd", 1);
        _nrs = e.Get("nrs", 1);
        _dtemp = e.Get("dtemp", 0);
        _icVds = e.Get("ic", 0);
        _icVgs = e.Get("ic2", 0);
        _icVbs = e.Get("ic3", 0);
        if (!(_l - (2 * model.Ld) > 0) || !(_w > 0) || !(_m > 0))
        {
            throw new SpiceParseException(e.Location, $"{e.LocalName}: need w > 0, m > 0 and l > 2 ld (l={SpiceNumber.Format(_l)}, ld={SpiceNumber.Format(model.Ld)})");
        }

        // SPICE3 rule: RD/RS on the card win; otherwise RSH times the number of squares.
        _drainConductance = model.RdGiven ? (model.Rd != 0 ? _m / model.Rd : 0) : (model.Rsh != 0 && _nrd != 0 ? _m / (model.Rsh * _nrd) : 0);
        _sourceConductance = model.RsGiven ? (model.Rs != 0 ? _m / model.Rs : 0) : (model.Rsh != 0 && _nrs != 0 ? _m / (model.Rsh * _nrs) : 0);
    }

    public string Name { get; }

    public IReadOnlyList<string> QuantityNames => Quantities;

    /// <summary>Drain perimeter PD in metres (junction sidewall capacitance).</summary>
    public double PerimeterDrain { get; private set; }

    /// <summary>Source perimeter PS in metres.</summary>
    public double PerimeterSource { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AllocateUnknowns(UnknownTable unknowns)
    {
        _d = unknowns.Node(_nodeNames[0]);
        _g = unknowns.Node(_nodeNames[1]);
        _s = unknowns.Node(_nodeNames[2]);
        _b = unknowns.Node(_nodeNames[3]);
        _dp = _drainConductance != 0 ? unknowns.Internal(Name, "drain") : _d;
        _sp = _sourceConductance != 0 ? unknowns.Internal(Name, "source") : _s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AllocateSlots(MatrixStructureBuilder m)
    {
        if (_drainConductance != 0)
        {
            _rdStamp = new ConductanceStamp(m, _d, _dp);
        }

        if (_sourceConductance != 0)
        {
            _rsStamp = new ConductanceStamp(m, _s, _sp);
        }

        _dpG = m.GetSlot(_dp, _g);
        _dpDp = m.GetSlot(_dp, _dp);
        _dpSp = m.GetSlot(_dp, _sp);
        _dpB = m.GetSlot(_dp, _b);
        _spG = m.GetSlot(_sp, _g);
        _spDp = m.GetSlot(_sp, _dp);
        _spSp = m.GetSlot(_sp, _sp);
        _spB = m.GetSlot(_sp, _b);
        _bB = m.GetSlot(_b, _b);
        _bDp = m.GetSlot(_b, _dp);
        _bSp = m.GetSlot(_b, _sp);
        AllocateGateSlots(m);
    }

    public void Temperature(double temperature, double nominal)
    {
        Mosfet1Model p = _model;
        double t = temperature + _dtemp;
        double tnom = p.Tnom;
        _vt = Semiconductor.KOverQ * t;
        double vtnom = Semiconductor.KOverQ * tnom;
        double ratio = t / tnom;
        double fact1 = tnom / Semiconductor.ReferenceTemperature;
        double fact2 = t / Semiconductor.ReferenceTemperature;
        double egfet = Semiconductor.BandGap(t);
        double egfet1 = Semiconductor.BandGap(tnom);
        double pbfact = Semiconductor.PotentialFactor(t);
        double pbfact1 = Semiconductor.PotentialFactor(tnom);
        double ratio4 = ratio * Math.Sqrt(ratio);
        double kp = p.Kp / ratio4;
        double phio = (p.Phi - pbfact1) / fact1;
        _phi = (fact2 * phio) + pbfact;
        _vbi = p.Vto - (p.Type * (p.Gamma * Math.Sqrt(p.Phi))) + (0.5 * (egfet1 - egfet)) + (p.Type * 0.5 * (_phi - p.Phi));
        _vto = _vbi + (p.Type * p.Gamma * Math.Sqrt(_phi));
        double satCur = p.Is * Math.Exp((-egfet / _vt) + (egfet1 / vtnom));
        double satCurDens = p.Js * Math.Exp((-egfet / _vt) + (egfet1 / vtnom));
        _beta = kp * _m * _w / (_l - (2 * p.Ld));
        _drainSatCur = (satCurDens == 0 || _ad == 0) ? _m * satCur : _m * satCurDens * _ad;
        _sourceSatCur = (satCurDens == 0 || _as == 0) ? _m * satCur : _m * satCurDens * _as;
        _drainVcrit = _vt * Math.Log(_vt / (Math.Sqrt(2) * _drainSatCur));
        _sourceVcrit = _vt * Math.Log(_vt / (Math.Sqrt(2) * _sourceSatCur));
        TemperatureCapacitance(t, tnom, pbfact, pbfact1, fact1, fact2);
    }

    public void Load(LoadContext context)
    {
        int type = _model.Type;
        double vbs;
        double vgs;
        double vds;
        if (context.Mode == LoadMode.InitJunction && context.UseInitialConditions)
        {
            (vbs, vgs, vds) = InitialVoltages(context);
        }
        else if (context.Mode == LoadMode.InitJunction)
        {
            if (_off)
            {
                vbs = vgs = vds = 0;
            }
            else
            {
                vds = type * _icVds;
                vgs = type * _icVgs;
                vbs = type * _icVbs;
                if (vds == 0 && vgs == 0 && vbs == 0)
                {
                    // Start in strong-enough inversion with reverse-biased junctions: the SPICE3 initial guess.
                    vbs = -1;
                    vgs = type * _vto;
                    vds = 0;
                }
            }
        }
        else if (context.Mode == LoadMode.InitFix && _off)
        {
            vbs = vgs = vds = 0;
        }
        else
        {
            double vgd;
            if (context.Mode is LoadMode.Predict or LoadMode.InitTransient)
            {
                // Extrapolate from the last two sweep or time points; limit against the last one (it becomes "old").
                double f = context.PredictFactor;
                vbs = ((1 + f) * _h1.Vbs) - (f * _h2.Vbs);
                vgs = ((1 + f) * _h1.Vgs) - (f * _h2.Vgs);
                vds = ((1 + f) * _h1.Vds) - (f * _h2.Vds);
                (_vbs, _vgs, _vds) = _h1;
                _vbd = _h1.Vbs - _h1.Vds;
                vgd = vgs - vds;
            }
            else
            {
                double vs = context.Voltage(_sp);
                vbs = type * (context.Voltage(_b) - vs);
                vgs = type * (context.Voltage(_g) - vs);
                vds = type * (context.Voltage(_dp) - vs);
                vgd = type * (context.Voltage(_g) - context.Voltage(_dp));
            }

            // As in SPICE3/ngspice, the drain-junction limit below starts from vbd of the unlimited voltages.
            double vbdRaw = vbs - vds;
            bool channelLimited = Semiconductor.LimitMosfet(ref vgs, ref vds, vgd, _vgs, _vds, type * _von);
            bool limited;
            if (vds >= 0)
            {
                vbs = Semiconductor.LimitJunction(vbs, _vbs, _vt, _sourceVcrit, out limited);
            }
            else
            {
                double vbd = Semiconductor.LimitJunction(vbdRaw, _vbd, _vt, _drainVcrit, out limited);
                vbs = vbd + vds;
            }

            if (limited || channelLimited)
            {
                context.NonConvergence++;
                context.TroubleDevice = Name;
            }
        }

        Evaluate(vgs, vds, vbs, context.Gmin);
        if (context.Analysis != AnalysisMode.Dc)
        {
            LoadCharges(context);
        }

        Stamp(context);
        if (context.IsTransient)
        {
            StampGate(context);
        }
    }

    private void Evaluate(double vgs, double vds, double vbs, double gmin)
    {
        int type = _model.Type;
        double vbd = vbs - vds;
        double vgd = vgs - vds;
        (_cbs, _gbs) = Junction(vbs, _sourceSatCur, gmin);
        (_cbd, _gbd) = Junction(vbd, _drainSatCur, gmin);
        _mode = vds >= 0 ? 1 : -1;
        double vbx = _mode == 1 ? vbs : vbd;
        double sqrtPhi = Math.Sqrt(_phi);
        double sarg = vbx <= 0 ? Math.Sqrt(_phi - vbx) : Math.Max(0, sqrtPhi - (vbx / (sqrtPhi + sqrtPhi)));
        double gamma = _model.Gamma;
        double von = (_vbi * type) + (gamma * sarg);
        double vgst = (_mode == 1 ? vgs : vgd) - von;
        double vdsat = Math.Max(vgst, 0);
        double arg = sarg <= 0 ? 0 : gamma / (sarg + sarg);
        double vdsm = vds * _mode;
        double lambda = _model.Lambda;
        if (vgst <= 0)
        {
            _cdrain = _gm = _gds = _gmbs = 0;
            _region = 0;
        }
        else
        {
            double betap = _beta * (1 + (lambda * vdsm));
            if (vgst <= vdsm)
            {
                _cdrain = betap * vgst * vgst * 0.5;
                _gm = betap * vgst;
                _gds = lambda * _beta * vgst * vgst * 0.5;
                _region = 2;
            }
            else
            {
                _cdrain = betap * vdsm * (vgst - (0.5 * vdsm));
                _gm = betap * vdsm;
                _gds = (betap * (vgst - vdsm)) + (lambda * _beta * vdsm * (vgst - (0.5 * vdsm)));
                _region = 1;
            }

            _gmbs = _gm * arg;
        }

        _vgs = vgs;
        _vds = vds;
        _vbs = vbs;
        _vbd = vbd;
        _von = type * von;
        _vdsat = type * vdsat;
    }

    /// <summary>Bulk junction: exponential above -3 vt, then -Is + gmin v (ngspice's MOS1 form).</summary>
    private (double Current, double Conductance) Junction(double v, double isat, double gmin)
    {
        if (v <= -3 * _vt)
        {
            return ((gmin * v) - isat, gmin);
        }

        double e = Math.Exp(Math.Min(Semiconductor.MaxExpArgument, v / _vt));
        return ((isat * (e - 1)) + (gmin * v), (isat * e / _vt) + gmin);
    }

    private void Stamp(LoadContext context)
    {
        int type = _model.Type;
        double ceqbs = type * (_cbs - (_gbs * _vbs));
        double ceqbd = type * (_cbd - (_gbd * _vbd));
        double cdreq = _mode == 1
            ? type * (_cdrain - (_gds * _vds) - (_gm * _vgs) - (_gmbs * _vbs))
            : -type * (_cdrain - (_gds * -_vds) - (_gm * (_vgs - _vds)) - (_gmbs * _vbd));
        context.AddRhs(_b, -(ceqbs + ceqbd));
        context.AddRhs(_dp, ceqbd - cdreq);
        context.AddRhs(_sp, cdreq + ceqbs);
        LoadConductances(context.Matrix);
    }

    private static void Add(double[] a, int slot, double v)
    {
        if (slot >= 0)
        {
            a[slot] += v;
        }
    }

    private (double Vbs, double Vgs, double Vds, double Vbd) _saved;

    public void SaveState() => _saved = (_vbs, _vgs, _vds, _vbd);

    public void RestoreState() => (_vbs, _vgs, _vds, _vbd) = _saved;

    public void StartHistory() => _h1 = _h2 = (_vbs, _vgs, _vds);

    public void AcceptPoint()
    {
        _h2 = _h1;
        _h1 = (_vbs, _vgs, _vds);
    }

    public bool IsConverged(LoadContext context, ReadOnlySpan<double> solution)
    {
        int type = _model.Type;
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
        double cd = (_mode * _cdrain) - _cbd;
        double cdhat = _mode == 1
            ? cd - (_gbd * delvbd) + (_gmbs * delvbs) + (_gm * delvgs) + (_gds * delvds)
            : cd - ((_gbd - _gmbs) * delvbd) - (_gm * delvgd) + (_gds * delvds);
        double cbhat = _cbs + _cbd + (_gbd * delvbd) + (_gbs * delvbs);
        double reltol = context.Options.RelTol;
        double abstol = context.Options.AbsTol;
        double tol = (reltol * Math.Max(Math.Abs(cdhat), Math.Abs(cd))) + abstol;
        if (Math.Abs(cdhat - cd) >= tol)
        {
            return false;
        }

        double cb = _cbs + _cbd;
        tol = (reltol * Math.Max(Math.Abs(cbhat), Math.Abs(cb))) + abstol;
        return Math.Abs(cbhat - cb) < tol;
    }

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        double id = (_mode * _cdrain) - _cbd;
        double ib = _cbd + _cbs;
        value = name switch
        {
            "id" or "cd" => id,
            "ib" => ib,
            "ig" => 0,
            "is" => -(id + ib),
            "vgs" => _vgs,
            "vds" => _vds,
            "vbs" => _vbs,
            "von" or "vth" => _von,
            "vdsat" => _vdsat,
            "gm" => _gm,
            "gds" => _gds,
            "gmb" or "gmbs" => _gmbs,
            "region" => _region,
            "cbd" => OperatingPointCapacitances().Cbd,
            "cbs" => OperatingPointCapacitances().Cbs,
            "cgs" => OperatingPointCapacitances().Cgs,
            "cgd" => OperatingPointCapacitances().Cgd,
            "cgb" => OperatingPointCapacitances().Cgb,
            "ibd" => _cbd,
            "ibs" => _cbs,
            "gbd" => _gbd,
            "gbs" => _gbs,
            "l" => _l,
            "w" => _w,
            "m" => _m,
            _ => double.NaN,
        };
        return !double.IsNaN(value);
    }
}
