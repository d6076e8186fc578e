using System.Runtime.CompilerServices;
using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// BSIM3v3.3 MOSFET instance (<c>level=8</c>/<c>49</c>; BSIM3v3.3.0 Users' Manual, UC Berkeley 2005), as ngspice 39
/// runs it: channel current from <see cref="Bsim3Channel"/>, source/drain series resistance rsh·nrs/nrd as internal
/// nodes (rdsw enters the channel current), bulk-source and bulk-drain diodes with js/jsw, nj, xti and the ijth
/// linearisation, substrate current, <c>m</c> parallel devices. Instance parameters: l w m ad as pd ps nrd nrs off
/// ic delvto mulu0 (geo accepted, ACM is not). Charges and capacitances (capMod 0-3, overlap, junctions) and their
/// transient companions: <c>Bsim3.Charges.cs</c>. Operating-point quantities by ngspice's names: id gm gds gmbs vth
/// vdsat vgs vds vbs ibd ibs gbd gbs cgg cgd cgs cbg cbd cbs cdg cdd cds capbd capbs qg qb qd (times m as ngspice),
/// plus isub, vdseff, vgsteff and ueff, which ngspice does not have.
/// </summary>
internal sealed partial class Bsim3 : IDevice
{
    private static readonly string[] InstanceParameters = ["l", "w", "m", "ad", "as", "pd", "ps", "nrd", "nrs", "ic", "ic2", "ic3", "delvto", "mulu0", "geo"];

    private static readonly string[] Quantities =
        ["id", "gm", "gds", "gmbs", "gmb", "vth", "von", "vdsat", "vgs", "vds", "vbs", "ibd", "ibs", "gbd", "gbs", "isub", "vdseff", "vgsteff", "ueff", "l", "w", "m", "cgg", "cgd", "cgs", "cbg", "cbd", "cbs", "cdg", "cdd", "cds", "capbd", "capbs", "qg", "qb", "qd"];

    private readonly string[] _nodeNames;
    private Bsim3Model _model;
    private bool _off;
    private double _l;
    private double _w;
    private double _m;
    private double _drainArea;
    private double _sourceArea;
    private double _drainPerimeter;
    private double _sourcePerimeter;
    private double _drainSquares;
    private double _sourceSquares;
    private double _delvto;
    private double _mulu0;
    private double _icVds;
    private double _icVgs;
    private double _icVbs;
    private double _drainConductance;
    private double _sourceConductance;

    // Shared with every instance of the same size (set by Assign; never a per-instance copy: one is about 1 KB).
    private Bsim3SizeParameters _s;

    // The temperature the size parameters and junction constants were last computed at (NaN: not yet).
    private double _temperature = double.NaN;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Bsim3(ResolvedElement e, Bsim3Model model)
    {
        Name = e.Name;
        _nodeNames = e.Nodes;
        _model = model;
        Assign(e, model);
    }

    public bool TryUpdate(ResolvedElement e, DeviceFactory factory)
    {
        // A card of another level makes another kind of device.
        if (factory.Mosfets.Bsim3(e.Model ?? throw new SpiceParseException(e.Location, "MOSFET without model")) is not Bsim3Model model)
        {
            return false;
        }

        bool drain = _drainConductance != 0;
        bool source = _sourceConductance != 0;
        Assign(e, model);
        _model = model;

        // As a new instance: temperature-dependent values and capacitances are computed again at the next analysis.
        _temperature = double.NaN;
        _capacitancesValid = false;

        // The internal nodes behind rsh·nrd and rsh·nrs exist or not by these values.
        return drain == (_drainConductance != 0) && source == (_sourceConductance != 0);
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_s))]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Assign(ResolvedElement e, Bsim3Model model)
    {
        e.CheckParameters(InstanceParameters);
        _off = e.Flags.Contains("off");
        _l = e.Get("l", 5.0e-6);
        _w = e.Get("w", 5.0e-6);
        _m = e.Get("m", 1);
        _drainArea = e.Get("ad", 0);
        _sourceArea = e.Get("as", 0);
        _drainPerimeter = e.Get("pd", 0);
        _sourcePerimeter = e.Get("ps", 0);
        _drainSquares = e.Get("nrd", 1);
        _sourceSquares = e.Get("nrs", 1);
        _delvto = e.Get("delvto", 0);
        _mulu0 = e.Get("mulu0", 1);
        _icVds = e.Get("ic", 0);
        _icVgs = e.Get("ic2", 0);
        _icVbs = e.Get("ic3", 0);
        if (!(_l > 0) || !(_w > 0) || !(_m > 0))
        {
            throw new SpiceParseException(e.Location, $"{e.LocalName}: need l > 0, w > 0 and m > 0 (l={SpiceNumber.Format(_l)}, w={SpiceNumber.Format(_w)})");
        }

        double rd = model.Rsh * _drainSquares;
        double rs = model.Rsh * _sourceSquares;
        _drainConductance = rd > 0 ? 1.0 / rd : 0.0;
        _sourceConductance = rs > 0 ? 1.0 / rs : 0.0;

        // Size-dependent parameters at the nominal temperature, so card errors surface when the circuit is built.
        _s = model.SizeParameters(_l, _w, model.Tnom, _delvto, _mulu0, Name);
    }

    public string Name { get; }

    public IReadOnlyList<string> QuantityNames => Quantities;

    /// <summary>The model card this instance uses.</summary>
    public Bsim3Model Model => _model;

    /// <summary>Size- and temperature-dependent parameters of this instance.</summary>
    public Bsim3SizeParameters SizeParameters => _s;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AllocateUnknowns(UnknownTable unknowns)
    {
        _d = unknowns.Node(_nodeNames[0]);
        _g = unknowns.Node(_nodeNames[1]);
        _sNode = unknowns.Node(_nodeNames[2]);
        _b = unknowns.Node(_nodeNames[3]);
        _dp = _drainConductance != 0 ? unknowns.Internal(Name, "drain") : _d;
        _sp = _sourceConductance != 0 ? unknowns.Internal(Name, "source") : _sNode;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AllocateSlots(MatrixStructureBuilder m)
    {
        _dd = m.GetSlot(_d, _d);
        _gg = m.GetSlot(_g, _g);
        _ss = m.GetSlot(_sNode, _sNode);
        _bb = m.GetSlot(_b, _b);
        _dpdp = m.GetSlot(_dp, _dp);
        _spsp = m.GetSlot(_sp, _sp);
        _ddp = m.GetSlot(_d, _dp);
        _gb = m.GetSlot(_g, _b);
        _gdp = m.GetSlot(_g, _dp);
        _gsp = m.GetSlot(_g, _sp);
        _ssp = m.GetSlot(_sNode, _sp);
        _bdp = m.GetSlot(_b, _dp);
        _bsp = m.GetSlot(_b, _sp);
        _dpsp = m.GetSlot(_dp, _sp);
        _dpd = m.GetSlot(_dp, _d);
        _bg = m.GetSlot(_b, _g);
        _dpg = m.GetSlot(_dp, _g);
        _spg = m.GetSlot(_sp, _g);
        _sps = m.GetSlot(_sp, _sNode);
        _dpb = m.GetSlot(_dp, _b);
        _spb = m.GetSlot(_sp, _b);
        _spdp = m.GetSlot(_sp, _dp);
    }

    public void Temperature(double temperature, double nominal)
    {
        // Every analysis and every DC sweep point announces the temperature; the size parameters depend only on it
        // (model and instance are immutable), and recomputing them (binning, pow/exp/log, a new object) cost about a
        // quarter of a BSIM3 DC sweep.
        if (temperature == _temperature)
        {
            return;
        }

        Bsim3Model p = _model;
        _s = p.SizeParameters(_l, _w, temperature, _delvto, _mulu0, Name);
        double vtm = Bsim3Model.KbOverQ * temperature;
        double tnom = p.Tnom;
        double vtm0 = Bsim3Model.KbOverQ * tnom;
        double eg0 = 1.16 - (7.02e-4 * tnom * tnom / (tnom + 1108.0));
        double eg = 1.16 - (7.02e-4 * temperature * temperature / (temperature + 1108.0));
        double js = p.Js;
        double jsw = p.Jsw;
        if (temperature != tnom)
        {
            double t0 = (eg0 / vtm0) - (eg / vtm) + (p.Xti * Math.Log(temperature / tnom));
            double t1 = Math.Exp(t0 / p.Nj);
            js *= t1;
            jsw *= t1;
        }

        js = Math.Max(js, 0.0);
        jsw = Math.Max(jsw, 0.0);
        _nvtm = vtm * p.Nj;
        _sourceSatCurrent = (_sourceArea <= 0.0 && _sourcePerimeter <= 0.0) ? 1.0e-14 : (_sourceArea * js) + (_sourcePerimeter * jsw);
        _drainSatCurrent = (_drainArea <= 0.0 && _drainPerimeter <= 0.0) ? 1.0e-14 : (_drainArea * js) + (_drainPerimeter * jsw);
        if (_sourceSatCurrent > 0.0 && p.Ijth > 0.0)
        {
            _vjsm = _nvtm * Math.Log((p.Ijth / _sourceSatCurrent) + 1.0);
            _isEvjsm = _sourceSatCurrent * Math.Exp(_vjsm / _nvtm);
        }

        if (_drainSatCurrent > 0.0 && p.Ijth > 0.0)
        {
            _vjdm = _nvtm * Math.Log((p.Ijth / _drainSatCurrent) + 1.0);
            _isEvjdm = _drainSatCurrent * Math.Exp(_vjdm / _nvtm);
        }

        // SPICE's fixed limiting voltage for both junctions (ngspice uses the 27 °C thermal voltage and Is = 1e-14).
        double vt0 = Semiconductor.KOverQ * Semiconductor.ReferenceTemperature;
        _vcrit = vt0 * Math.Log(vt0 / (Math.Sqrt(2) * 1.0e-14));
        TemperatureJunctionCapacitance(temperature);
        _capacitancesValid = false;
        _temperature = temperature; // only once everything succeeded: a card error must surface on every analysis
    }

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        value = name switch
        {
            "id" => _m * _cd,
            "gm" => _m * _gm,
            "gds" => _m * _gds,
            "gmbs" or "gmb" => _m * _gmbs,
            "vth" or "von" => _von,
            "vdsat" => _vdsat,
            "vgs" => _vgs,
            "vds" => _vds,
            "vbs" => _vbs,
            "ibd" => _m * _cbd,
            "ibs" => _m * _cbs,
            "gbd" => _m * _gbd,
            "gbs" => _m * _gbs,
            "isub" => _m * _csub,
            "vdseff" => _vdseff,
            "vgsteff" => _vgsteff,
            "ueff" => _ueff,
            "l" => _l,
            "w" => _w,
            "m" => _m,
            _ => CapacitanceQuantity(name),
        };
        return !double.IsNaN(value);
    }
}
