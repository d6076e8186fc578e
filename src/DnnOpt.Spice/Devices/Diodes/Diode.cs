using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices.Diodes;

/// <summary>
/// SPICE junction diode (ngspice manual "Junction Diodes", level 1): I = Is (exp(V/(N vt)) - 1) + gmin V with a cubic
/// reverse tail below -3 N vt and reverse breakdown at BV (current IBV), series resistance RS (internal node), area
/// and m scaling, saturation-current temperature law Is(T) = Is (T/Tnom)^(XTI/N) exp((T/Tnom - 1) EG/(N vt)).
/// Depletion and diffusion capacitance (CJO VJ M FC TT) in <c>Diode.Capacitance.cs</c>, small-signal stamps in
/// <c>Diode.Frequency.cs</c>, noise in <c>Diode.Noise.cs</c>.
/// Quantities: <c>vd id gd</c> (and <c>i</c>), <c>cd</c> (capacitance at the operating point, as ngspice's), <c>charge</c>.
/// </summary>
internal sealed partial class Diode : IDevice
{
    private static readonly string[] Quantities = ["vd", "id", "gd", "i", "cd", "charge"];

    private static readonly HashSet<string> Accepted = new(StringComparer.Ordinal)
    {
        "level", "is", "js", "n", "rs", "bv", "ibv", "nbv", "cjo", "cj0", "cj", "vj", "pb", "m", "mj", "fc", "tt", "eg",
        "xti", "kf", "af", "tnom",
    };

    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "isr", "nr", "ikf", "ik", "ikr", "jsw", "isw", "ns", "cjp", "cjsw", "php", "mjsw", "tlev", "tlevc", "tcv", "trs",
        "trs1", "trs2", "tm1", "tm2", "tbv1", "tbv2", "tcj", "tcjsw", "tpb", "tphp", "xtitun", "keg", "jtun", "jtunsw",
        "ntun", "fv_max", "bv_max", "rth0", "cth0", "lm", "lp", "wm", "wp", "xom", "xoi", "xm", "xp", "d", "area", "pj",
    };

    private readonly string[] _nodeNames;
    private bool _off;
    private double _area;
    private double _m;
    private double _dtemp;
    private double _is;
    private double _n;
    private double _rs;
    private double? _bv;
    private double _ibv;
    private double _nbv;
    private double _eg;
    private double _xti;
    private double? _tnom;
    private int _anode;
    private int _cathode;
    private int _internal;
    private ConductanceStamp _series;
    private ConductanceStamp _junction;

    // Temperature-dependent values.
    private double _vt;
    private double _satCur;
    private double _vcrit;
    private double _breakdown;
    private double _gspr;

    // Newton state: the voltage used in the last load and what it gave.
    private double _vd;
    private double _id;
    private double _gd;

    // Junction voltage at the last two DC sweep points (for the predictor).
    private double _vd1;
    private double _vd2;

    public Diode(ResolvedElement e, ICollection<string> warnings)
    {
        Name = e.Name;
        _nodeNames = e.Nodes;
        Assign(e, warnings);
    }

    public bool TryUpdate(ResolvedElement e, DeviceFactory factory)
    {
        bool series = HasSeriesResistance;
        Assign(e, factory.Warnings);

        // As a new instance: temperature-dependent values come at the next analysis; the internal node behind RS
        // exists or not by the value.
        return series == HasSeriesResistance;
    }

    private void Assign(ResolvedElement e, ICollection<string> warnings)
    {
        e.CheckParameters("area", "m", "ic", "temp", "dtemp", "pj");
        ResolvedModel model = e.Model ?? throw new SpiceParseException(e.Location, $"{e.LocalName}: no model");
        if (model.Type != "d")
        {
            throw new SpiceParseException(e.Location, $"{e.LocalName}: model '{model.Name}' is a {model.Type} model, not a diode (d) model");
        }

        ModelParameters.Check(model, Accepted, Unsupported, warnings);
        if (model.Get("level", 1) != 1)
        {
            throw new SpiceParseException(model.Location, $".model {model.Name}: diode level {SpiceNumber.Format(model.Get("level", 1))} is not supported (level 1 only)");
        }

        if (e.Has("temp"))
        {
            throw new SpiceParseException(e.Location, $"{e.LocalName}: instance 'temp' is not supported; use dtemp");
        }

        if (e.Has("pj") && e.Get("pj", 0) != 0)
        {
            throw new SpiceParseException(e.Location, $"{e.LocalName}: perimeter 'pj' (sidewall current) is not supported");
        }

        _off = e.Flags.Contains("off");
        _area = e.Get("area", 1);
        _m = e.Get("m", 1);
        _dtemp = e.Get("dtemp", 0);
        _is = model.Has("is") ? model.Get("is", 1e-14) : model.Get("js", 1e-14);
        _n = model.Get("n", 1);
        _rs = model.Get("rs", 0);
        _bv = model.Has("bv") ? model.Get("bv", 0) : null;
        _ibv = model.Get("ibv", 1e-3);
        _nbv = model.Get("nbv", _n);
        _eg = model.Get("eg", 1.11);
        _xti = model.Get("xti", 3);
        _tnom = model.Has("tnom") ? model.Get("tnom", 27) + Semiconductor.CelsiusToKelvin : null;
        JunctionCapacitance = model.Has("cjo") ? model.Get("cjo", 0) : model.Has("cj0") ? model.Get("cj0", 0) : model.Get("cj", 0);
        JunctionPotential = model.Has("vj") ? model.Get("vj", 1) : model.Get("pb", 1);
        GradingCoefficient = model.Has("m") ? model.Get("m", 0.5) : model.Get("mj", 0.5);
        TransitTime = model.Get("tt", 0);
        InitialVoltage = e.Has("ic") ? e.Get("ic", 0) : null;
        ForwardCoefficient = model.Get("fc", 0.5);
        FlickerCoefficient = model.Get("kf", 0);
        FlickerExponent = model.Get("af", 1);
        if (!(_n > 0) || !(_is >= 0) || _rs < 0)
        {
            throw new SpiceParseException(model.Location, $".model {model.Name}: need n > 0, is >= 0, rs >= 0");
        }
    }

    public string Name { get; }

    public IReadOnlyList<string> QuantityNames => Quantities;

    /// <summary>Zero-bias junction capacitance CJO in farads per unit area, at tnom.</summary>
    public double JunctionCapacitance { get; private set; }

    /// <summary>Junction potential VJ in volts .</summary>
    public double JunctionPotential { get; private set; }

    /// <summary>Grading coefficient M .</summary>
    public double GradingCoefficient { get; private set; }

    /// <summary>Transit time TT in seconds .</summary>
    public double TransitTime { get; private set; }

    /// <summary>True when the device needs an internal node (RS non-zero): part of the topology.</summary>
    public bool HasSeriesResistance => _rs != 0;

    public void AllocateUnknowns(UnknownTable unknowns)
    {
        _anode = unknowns.Node(_nodeNames[0]);
        _cathode = unknowns.Node(_nodeNames[1]);
        _internal = HasSeriesResistance ? unknowns.Internal(Name, "internal") : _anode;
    }

    public void AllocateSlots(MatrixStructureBuilder matrix)
    {
        if (HasSeriesResistance)
        {
            _series = new ConductanceStamp(matrix, _anode, _internal);
        }

        _junction = new ConductanceStamp(matrix, _internal, _cathode);
    }

    public void Temperature(double temperature, double nominal)
    {
        double t = temperature + _dtemp;
        double tnom = _tnom ?? nominal;
        _vt = Semiconductor.KOverQ * t;
        double vte = _n * _vt;
        double ratio = t / tnom;
        _satCur = _is * _area * _m * Math.Exp(((ratio - 1) * _eg / vte) + (_xti / _n * Math.Log(ratio)));
        _vcrit = vte * Math.Log(vte / (Math.Sqrt(2) * _satCur));
        _gspr = HasSeriesResistance ? _area * _m / _rs : 0;
        if (_bv is double bv)
        {
            _breakdown = BreakdownVoltage(bv, _ibv * _area * _m, _nbv * _vt);
        }

        TemperatureCapacitance(t, tnom);
    }

    /// <summary>
    /// The voltage xbv at which the breakdown exponential Is exp(-(xbv+v)/vtb) carries IBV when v = -BV, solved by
    /// fixed-point iteration as SPICE3 does, so the reverse characteristic passes through (-BV, -IBV).
    /// </summary>
    private double BreakdownVoltage(double bv, double ibv, double vtb)
    {
        double cbv = ibv;
        if (cbv < _satCur * bv / vtb)
        {
            return bv;
        }

        double tol = 1e-3 * cbv;
        double xbv = bv - (vtb * Math.Log(1 + (cbv / _satCur)));
        for (int i = 0; i < 25; i++)
        {
            xbv = bv - (vtb * Math.Log((cbv / _satCur) + 1 - (xbv / vtb)));
            double xcbv = _satCur * (Math.Exp((bv - xbv) / vtb) - 1 + (xbv / vtb));
            if (Math.Abs(xcbv - cbv) <= tol)
            {
                break;
            }
        }

        return xbv;
    }

    public void Load(LoadContext context)
    {
        double vte = _n * _vt;
        double vd;
        if (context.Mode == LoadMode.InitJunction)
        {
            // A uic transient starts from ic= (0 when not given), as ngspice's MODETRANOP|MODEUIC.
            vd = context.UseInitialConditions ? InitialVoltage ?? 0 : _off ? 0 : _vcrit;
        }
        else if (context.Mode == LoadMode.InitFix && _off)
        {
            vd = 0;
        }
        else
        {
            if (context.Mode is LoadMode.Predict or LoadMode.InitTransient)
            {
                double f = context.PredictFactor;
                vd = ((1 + f) * _vd1) - (f * _vd2);
                _vd = _vd1;
            }
            else
            {
                vd = context.Voltage(_internal) - context.Voltage(_cathode);
            }

            bool limited;
            if (_bv is not null && vd < Math.Min(0, -_breakdown + (10 * _nbv * _vt)))
            {
                double vtb = _nbv * _vt;
                double v = -(vd + _breakdown);
                v = Semiconductor.LimitJunction(v, -(_vd + _breakdown), vtb, _vcrit, out limited);
                vd = -(v + _breakdown);
            }
            else
            {
                vd = Semiconductor.LimitJunction(vd, _vd, vte, _vcrit, out limited);
            }

            if (limited)
            {
                context.NonConvergence++;
                context.TroubleDevice = Name;
            }
        }

        (double id, double gd) = Evaluate(vd, vte, context.Gmin);
        _vd = vd;
        _id = id;
        _gd = gd;
        if (context.Analysis != AnalysisMode.Dc)
        {
            // As SPICE3, the stored current and conductance include the charge's companion (what @d[id] reports).
            LoadCharge(context, vd, ref id, ref gd);
            _id = id;
            _gd = gd;
        }

        double ieq = id - (gd * vd);
        if (HasSeriesResistance)
        {
            _series.Load(context.Matrix, _gspr);
        }

        _junction.Load(context.Matrix, gd);
        context.AddRhs(_internal, -ieq);
        context.AddRhs(_cathode, ieq);
    }

    private (double Current, double Conductance) Evaluate(double vd, double vte, double gmin)
    {
        if (_bv is null || vd >= -_breakdown || vd >= -3 * vte)
        {
            return Semiconductor.Junction(vd, _satCur, vte, gmin);
        }

        double vtb = _nbv * _vt;
        double e = Semiconductor.SafeExp(-(_breakdown + vd) / vtb);
        return ((-_satCur * e) + (gmin * vd), (_satCur * e / vtb) + gmin);
    }

    private double _savedVd;

    public void SaveState() => _savedVd = _vd;

    public void RestoreState() => _vd = _savedVd;

    public void StartHistory() => _vd1 = _vd2 = _vd;

    public void AcceptPoint()
    {
        _vd2 = _vd1;
        _vd1 = _vd;
    }

    public bool IsConverged(LoadContext context, ReadOnlySpan<double> solution)
    {
        double vd = (_internal < 0 ? 0 : solution[_internal]) - (_cathode < 0 ? 0 : solution[_cathode]);
        double predicted = _id + (_gd * (vd - _vd));
        double tol = (context.Options.RelTol * Math.Max(Math.Abs(predicted), Math.Abs(_id))) + context.Options.AbsTol;
        return Math.Abs(predicted - _id) <= tol;
    }

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        value = name switch
        {
            "vd" => _vd,
            "id" or "i" => _id,
            "gd" => _gd,
            "cd" => OperatingPointCharge().Capacitance,
            "charge" => OperatingPointCharge().Charge,
            _ => double.NaN,
        };
        return !double.IsNaN(value);
    }
}
